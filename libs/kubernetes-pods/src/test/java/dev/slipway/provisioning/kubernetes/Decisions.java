package dev.slipway.provisioning.kubernetes;

import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.Placement;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.provisioning.MetricsShipping;
import dev.slipway.provisioning.HighAvailability;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Decisions as the resource-scheduler makes them, for one cluster. */
final class Decisions {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final ClusterTokens TOKENS = new ClusterTokens("a-test-secret-of-enough-length");
    static final String SCHEDULER_URL = "http://resource-scheduler:8080";
    static final String KAFKA = "kafka.slipway.svc:9092";
    static final String HA_STORAGE = "s3://state/slipway/ha";

    private Decisions() {
    }

    static KubernetesBackendSettings settings() {
        return new KubernetesBackendSettings(Map.of("2.2.0", "registry.example/flink:2.2.0-slipway"), null, "Always",
                "flink", SCHEDULER_URL, TOKENS::issue, null, null, new MetricsShipping(KAFKA, Duration.ofSeconds(10)),
                HighAvailability.kubernetes(HA_STORAGE, null));
    }

    static ClusterSpec spec(ClusterMode mode, NetworkProfile network, Map<String, String> flinkConfiguration) {
        return new ClusterSpec("orders", "team-a", mode, "2.2.0", new ProcessSize(0.5, 768, 0), 1,
                new ProcessSize(1.5, 1024, 2048), 2, mode == ClusterMode.STATIC ? 2 : 0,
                mode == ClusterMode.ELASTIC ? new ElasticPolicy(1, 4, 45) : null, 0, null, network, flinkConfiguration);
    }

    static ClusterSpec elastic() {
        return spec(ClusterMode.ELASTIC, NetworkProfile.POD_NETWORK, Map.of());
    }

    static ProvisionPod taskManager(String clusterId, int ordinal) {
        return taskManager(clusterId, ordinal, elastic(), null);
    }

    static ProvisionPod taskManager(String clusterId, int ordinal, ClusterSpec spec, Placement placement) {
        return new ProvisionPod("e-" + clusterId + "-tm-" + ordinal, clusterId, T0, "c-1", "request r-" + ordinal,
                clusterId + "-tm-" + ordinal, PodRole.TASK_MANAGER, "r-" + ordinal, spec.taskManager(), 3, spec, placement);
    }

    static ProvisionPod jobManager(String clusterId) {
        return jobManager(clusterId, 0, elastic());
    }

    static ProvisionPod jobManager(String clusterId, int ordinal, ClusterSpec spec) {
        return new ProvisionPod("e-" + clusterId + "-jm-" + ordinal, clusterId, T0, "c-1", "cluster created",
                clusterId + "-jm-" + ordinal, PodRole.JOB_MANAGER, null, spec.jobManager(), 3, spec, null);
    }

    static DeletePod delete(ProvisionPod pod) {
        return new DeletePod("d-" + pod.podName(), pod.clusterId(), T0, "c-2", "released", pod.podName(), pod.role());
    }
}
