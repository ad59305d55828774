package dev.slipway.provisioner.simulated;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodRole;
import java.util.Map;

/** The scheduler's decisions for the simulated backend's tests; the role follows the name ({@code -jm-} or not). */
final class SimulatedDecisions {

    private static final ClusterSpec SPEC = new ClusterSpec("sim", "team-a", ClusterMode.STATIC, "2.2.0",
            new ProcessSize(0.5, 1024, 0), 1, new ProcessSize(0.5, 1024, 0), 1, 0, null, 0, null, null, Map.of());

    private SimulatedDecisions() {
    }

    static ProvisionPod provision(String clusterId, String podName) {
        PodRole role = role(podName);
        return new ProvisionPod("d-" + podName, clusterId, ManualTime.START, "cause", "test", podName, role, null,
                role == PodRole.JOB_MANAGER ? SPEC.jobManager() : SPEC.taskManager(), 1, SPEC, null);
    }

    static DeletePod delete(String clusterId, String podName) {
        return new DeletePod("x-" + podName, clusterId, ManualTime.START, "cause", "test", podName, role(podName));
    }

    private static PodRole role(String podName) {
        return podName.contains("-jm-") ? PodRole.JOB_MANAGER : PodRole.TASK_MANAGER;
    }
}
