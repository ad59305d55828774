package dev.slipway.submission.rest;

import dev.slipway.submission.config.SubmissionConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * What the web console (static files under {@code /console/}) needs to know before it signs in: where the
 * log-metric-indexer and the resource-scheduler answer. Open, like the page itself; everything with data needs the tenant's token.
 */
@Path("/api/v1/console")
public class ConsoleResource {

    /** The console's settings. */
    public record ConsoleSettings(String indexerUrl, String schedulerUrl) {
    }

    private final SubmissionConfig config;

    public ConsoleResource(SubmissionConfig config) {
        this.config = config;
    }

    @GET
    @Path("/settings")
    @Produces(MediaType.APPLICATION_JSON)
    public ConsoleSettings settings() {
        return new ConsoleSettings(config.console().indexerUrl(), config.console().schedulerUrl());
    }
}
