package dev.slipway.indexer.rest;

import dev.slipway.indexer.messaging.ClusterEvent;
import dev.slipway.indexer.messaging.IndexerRuntime;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** Live lifecycle events of one cluster for dashboards: job changes, scheduling decisions, pod facts. */
@Path("/api/v1/clusters/{clusterId}/events")
public class ClusterEventsResource {

    private final IndexerRuntime runtime;

    public ClusterEventsResource(IndexerRuntime runtime) {
        this.runtime = runtime;
    }

    /** From the moment of subscription on; history lives with the services that own it. */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<ClusterEvent> events(@PathParam("clusterId") String clusterId) {
        return runtime.clusterEvents(clusterId);
    }
}
