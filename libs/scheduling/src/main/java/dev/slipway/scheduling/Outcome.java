package dev.slipway.scheduling;

import dev.slipway.contracts.Events;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.decisions.ClusterHealth;
import dev.slipway.contracts.decisions.ClusterHealthChanged;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.Placement;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.decisions.RequestRefused;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.resources.ResourceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The decisions one event causes. Each decision gets a deterministic id (a name-based UUID of the
 * cluster, the causing event and the decision's position) and is folded into the state at once, so
 * the next step of the same event sees it.
 */
final class Outcome {

    private final ClusterState state;
    private final ResourceEvent cause;
    /** Most events decide nothing: the list is made on the first decision. */
    private List<Decision> decisions;

    Outcome(ClusterState state, ResourceEvent cause) {
        this.state = state;
        this.cause = cause;
    }

    List<Decision> decisions() {
        return decisions == null ? List.of() : decisions;
    }

    void provision(PodRole role, String requestId, String reason) {
        ClusterSpec spec = state.spec;
        String name = role == PodRole.JOB_MANAGER
                ? state.clusterId() + "-jm-" + state.nextJobManagerOrdinal++
                : state.clusterId() + "-tm-" + state.nextTaskManagerOrdinal++;
        Placement placement = role == PodRole.TASK_MANAGER
                ? new Placement(state.clusterId(), Placement.HOSTNAME_TOPOLOGY_KEY, 1, state.readyTaskManagersPerNode())
                : new Placement(state.clusterId(), Placement.HOSTNAME_TOPOLOGY_KEY, 1, null);
        add(new ProvisionPod(nextId(), state.clusterId(), state.now, cause.eventId(), reason, name, role, requestId,
                role == PodRole.JOB_MANAGER ? spec.jobManager() : spec.taskManager(), state.generation, spec, placement));
        state.putPod(new PodRecord(name, role, requestId, PodStatus.PENDING, state.now, null, null, null));
    }

    void delete(PodRecord pod, String reason) {
        add(new DeletePod(nextId(), state.clusterId(), state.now, cause.eventId(), reason, pod.name(), pod.role()));
        state.putPod(pod.terminating());
    }

    void refuse(String requestId, int requested, int refused, String reason) {
        add(new RequestRefused(nextId(), state.clusterId(), state.now, cause.eventId(), reason, requestId, requested, refused));
        state.refuse(requestId, refused);
    }

    void health(ClusterHealth health, String reason) {
        add(new ClusterHealthChanged(nextId(), state.clusterId(), state.now, cause.eventId(), reason, health,
                health == ClusterHealth.DEGRADED ? state.lastFailure : null));
        state.health = health;
    }

    private void add(Decision decision) {
        if (decisions == null) {
            decisions = new ArrayList<>(4);
        }
        decisions.add(decision);
    }

    private String nextId() {
        return Events.deterministicId(state.clusterId(), cause.eventId(), Integer.toString(decisions().size()));
    }
}
