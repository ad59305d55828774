package dev.slipway.provisioner.rest;

import dev.slipway.contracts.cluster.ClusterIdGrammar;
import dev.slipway.provisioner.ProvisionerRuntime;
import dev.slipway.provisioning.JobManagerAddress;
import dev.slipway.rest.problems.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

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
        if (!ClusterIdGrammar.valid(clusterId)) {
            // Before the id names a directory: "..", "/tmp/x" and the like never reach the file system.
            throw ProblemException.invalid("clusterId", ClusterIdGrammar.RULE);
        }
        return runtime.local().flatMap(local -> local.jobManager(clusterId))
                .orElseThrow(() -> new ProblemException(404, "Unknown JobManager", "no JobManager of cluster " + clusterId
                        + " runs on this provisioner (is the cluster created, and does this provisioner run the LOCAL backend?)"));
    }
}
