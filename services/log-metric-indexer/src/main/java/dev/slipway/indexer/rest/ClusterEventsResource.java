package dev.slipway.indexer.rest;

import dev.slipway.indexer.messaging.ClusterEvent;
import dev.slipway.indexer.messaging.IndexerRuntime;
import dev.slipway.rest.access.ClusterReadAccess;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Live lifecycle events of one cluster for dashboards: job changes, scheduling decisions, pod facts. Read with the cluster's
 * reader token, as a header or (EventSource) as {@code access_token}.
 */
@Path("/api/v1/clusters/{clusterId}/events")
public class ClusterEventsResource {

    private final IndexerRuntime runtime;
    private final ClusterReadAccess access;

    public ClusterEventsResource(IndexerRuntime runtime, ClusterReadAccess access) {
        this.runtime = runtime;
        this.access = access;
    }

    /** From the moment of subscription on; history lives with the services that own it. */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<ClusterEvent> events(@PathParam("clusterId") String clusterId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("access_token") String accessToken) {
        access.requireCluster(clusterId, authorization, accessToken);
        return runtime.clusterEvents(clusterId);
    }
}
