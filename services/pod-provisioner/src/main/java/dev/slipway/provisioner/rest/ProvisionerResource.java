package dev.slipway.provisioner.rest;

import dev.slipway.contracts.cluster.ClusterIdGrammar;
import dev.slipway.provisioner.ProvisionerRuntime;
import dev.slipway.provisioner.config.ProvisionerConfig;
import dev.slipway.provisioning.JobManagerAddress;
import dev.slipway.rest.access.ClusterIdCheck;
import dev.slipway.rest.access.ClusterReadAccess;
import dev.slipway.rest.problems.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * What the local backend runs: for operators, the CLI, and clients that need a JobManager's address. Every call brings a
 * token ({@code Authorization: Bearer}): a cluster's own token or its reader token reads that cluster; the operator's token
 * reads every cluster and alone lists them all. The token is checked before anything of the request is: an anonymous
 * caller learns nothing of the API's rules.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ProvisionerResource {

    private final ProvisionerRuntime runtime;
    private final ClusterReadAccess access;

    public ProvisionerResource(ProvisionerRuntime runtime, ProvisionerConfig config) {
        this.runtime = runtime;
        this.access = new ClusterReadAccess(config.clusterTokenSecret(), runtime.credentials(), config.operatorToken());
    }

    /** Pods running as local processes, as {@code cluster/pod}: one cluster's ({@code clusterId}), or all (the operator). */
    @GET
    @Path("/local/pods")
    public List<String> localPods(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Parameter(schema = @Schema(type = SchemaType.STRING, pattern = ClusterIdGrammar.REGEX)) @QueryParam("clusterId") String clusterId) {
        access.requireClusterOrAll(clusterId, authorization, null);
        List<String> pods = runtime.local().map(local -> local.runningPods()).orElse(List.of());
        if (clusterId == null || clusterId.isBlank()) {
            return pods;
        }
        validId(clusterId.trim());
        return pods.stream().filter(pod -> pod.startsWith(clusterId.trim() + "/")).toList();
    }

    /** Where a cluster's JobManager answers (local backend). */
    @GET
    @Path("/clusters/{clusterId}/jobmanager")
    public JobManagerAddress jobManager(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("clusterId") String clusterId) {
        access.requireCluster(clusterId, authorization, null);
        validId(clusterId);
        return runtime.local().flatMap(local -> local.jobManager(clusterId))
                .orElseThrow(() -> new ProblemException(404, "Unknown JobManager", "no JobManager of cluster " + clusterId
                        + " runs on this provisioner (is the cluster created, and does this provisioner run the LOCAL backend?)"));
    }

    /** Before the id names a directory: "..", "/tmp/x" and the like never reach the file system. */
    private static void validId(String clusterId) {
        ClusterIdCheck.require(clusterId);
    }
}
