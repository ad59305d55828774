package dev.slipway.provisioner.rest;

import dev.slipway.provisioner.ProvisionerRuntime;
import dev.slipway.provisioning.JobManagerAddress;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** What the local backend runs: for operators, the CLI, and clients that need a JobManager's address. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ProvisionerResource {

    private final ProvisionerRuntime runtime;

    public ProvisionerResource(ProvisionerRuntime runtime) {
        this.runtime = runtime;
    }

    /** Pods running as local processes, as {@code cluster/pod}. */
    @GET
    @Path("/local/pods")
    public List<String> localPods() {
        return runtime.local().map(local -> local.runningPods()).orElse(List.of());
    }

    /** Where a cluster's JobManager answers (local backend). */
    @GET
    @Path("/clusters/{clusterId}/jobmanager")
    public JobManagerAddress jobManager(@PathParam("clusterId") String clusterId) {
        return runtime.local().flatMap(local -> local.jobManager(clusterId))
                .orElseThrow(() -> new WebApplicationException(Response.status(Response.Status.NOT_FOUND)
                        .type("application/problem+json")
                        .entity(Map.of("type", "about:blank", "title", "Unknown JobManager", "status", 404,
                                "detail", "no JobManager of cluster " + clusterId + " runs on this provisioner"
                                        + " (is the cluster created, and does this provisioner run the LOCAL backend?)"))
                        .build()));
    }
}
