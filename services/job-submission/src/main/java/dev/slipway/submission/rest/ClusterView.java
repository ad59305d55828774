package dev.slipway.submission.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.submission.Cluster;
import dev.slipway.submission.ClusterPod;
import dev.slipway.submission.cluster.ClusterStatus;
import dev.slipway.submission.service.ClusterService;
import java.time.Instant;
import java.util.List;

/**
 * A cluster as the API shows it. {@code clusterToken} is only in the answer to the create: the
 * credential of the cluster's resource manager (the provisioner hands it to the JobManager itself);
 * operators use it to call the resource-scheduler's pod endpoints of the cluster. {@code readerToken} is in every answer
 * (only the cluster's tenant gets one): it reads the cluster's decisions and state on the resource-scheduler and its logs,
 * metrics and events on the log-metric-indexer, and changes nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterView(
        String id,
        String name,
        String tenant,
        ClusterStatus status,
        String statusReason,
        long generation,
        ClusterSpec spec,
        List<PodView> pods,
        Instant createdAt,
        Instant updatedAt,
        String clusterToken,
        String readerToken) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PodView(String name, PodRole role, String phase, String address, String nodeName, String reason) {

        static PodView of(ClusterPod pod) {
            return new PodView(pod.podName, pod.role, pod.phase.name(), pod.address, pod.nodeName, pod.reason);
        }
    }

    public static ClusterView of(Cluster cluster, List<ClusterPod> pods, String clusterToken, String readerToken) {
        return new ClusterView(cluster.id, cluster.name, cluster.tenant, cluster.status, cluster.statusReason,
                cluster.generation, ClusterService.spec(cluster), pods == null ? null : pods.stream().map(PodView::of).toList(),
                cluster.createdAt, cluster.updatedAt, clusterToken, readerToken);
    }
}
