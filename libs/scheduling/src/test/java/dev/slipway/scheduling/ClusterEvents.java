package dev.slipway.scheduling;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.FailurePolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.resources.ClockTicked;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ClusterSpecChanged;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.resources.ResourcesReleased;
import dev.slipway.contracts.resources.ResourcesRequested;
import java.time.Instant;
import java.util.Map;

/** Builds one cluster's events with fresh ids, at a time given in seconds after T0. */
final class ClusterEvents {

    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    private final String clusterId;
    private int sequence;

    ClusterEvents(String clusterId) {
        this.clusterId = clusterId;
    }

    static ClusterSpec elastic(int warmPool, int max, long idleTimeoutSeconds) {
        return elastic(warmPool, max, idleTimeoutSeconds, 0);
    }

    static ClusterSpec elastic(int warmPool, int max, long idleTimeoutSeconds, int tenantQuota) {
        return new ClusterSpec("orders", "team-a", ClusterMode.ELASTIC, "2.2.0", new ProcessSize(1, 1600, 0), 1,
                new ProcessSize(1, 1024, 0), 2, 0, new ElasticPolicy(warmPool, max, idleTimeoutSeconds), tenantQuota,
                new FailurePolicy(120, 3, 10, 160), NetworkProfile.POD_NETWORK, Map.of());
    }

    static ClusterSpec staticCount(int taskManagers) {
        return new ClusterSpec("reports", "team-a", ClusterMode.STATIC, "2.2.0", new ProcessSize(1, 1600, 0), 1,
                new ProcessSize(1, 1024, 0), 2, taskManagers, null, 0, new FailurePolicy(120, 3, 10, 160),
                NetworkProfile.POD_NETWORK, Map.of());
    }

    String clusterId() {
        return clusterId;
    }

    String pod(String role, int ordinal) {
        return clusterId + "-" + role + "-" + ordinal;
    }

    private String id() {
        return clusterId + "-e" + (++sequence);
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    ClusterSpecCreated created(long t, ClusterSpec spec) {
        return new ClusterSpecCreated(id(), clusterId, at(t), 1, spec);
    }

    ClusterSpecChanged changed(long t, long generation, ClusterSpec spec) {
        return new ClusterSpecChanged(id(), clusterId, at(t), generation, spec);
    }

    ClusterDeleted deleted(long t) {
        return new ClusterDeleted(id(), clusterId, at(t), 99);
    }

    ResourcesRequested request(long t, String requestId, int count) {
        return new ResourcesRequested(id(), clusterId, at(t), requestId, count, null);
    }

    ResourcesReleased release(long t, String pod) {
        return new ResourcesReleased(id(), clusterId, at(t), pod, "idle");
    }

    PodCreated podCreated(long t, String pod, PodRole role) {
        return new PodCreated(id(), clusterId, at(t), pod, role, null, null);
    }

    PodReady ready(long t, String pod, PodRole role, String node) {
        return new PodReady(id(), clusterId, at(t), pod, role, node, "127.0.0.1:6122");
    }

    PodReady tmReady(long t, String pod) {
        return ready(t, pod, PodRole.TASK_MANAGER, "node-a");
    }

    PodFailed failed(long t, String pod, String reason) {
        return new PodFailed(id(), clusterId, at(t), pod, reason, 137, "killed");
    }

    PodDeleted podDeleted(long t, String pod) {
        return new PodDeleted(id(), clusterId, at(t), pod);
    }

    ClockTicked tick(long t) {
        return new ClockTicked(id(), clusterId, at(t));
    }
}
