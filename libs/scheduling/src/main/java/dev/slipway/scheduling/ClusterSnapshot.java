package dev.slipway.scheduling;

import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.decisions.ClusterHealth;
import java.time.Instant;
import java.util.List;

/**
 * Everything a {@link ClusterState} holds, as plain data for JSON: a host stores snapshots so that a
 * rebuild replays only the events after the snapshot. {@link #restore()} gives a state that decides
 * exactly as the original would (tested over generated traces).
 */
public record ClusterSnapshot(
        String clusterId,
        ClusterSpec spec,
        long generation,
        boolean deleted,
        Instant now,
        List<PodRecord> pods,
        List<OpenRequest> requests,
        List<String> gonePods,
        List<String> closedRequests,
        int nextTaskManagerOrdinal,
        int nextJobManagerOrdinal,
        int consecutiveFailures,
        Instant backoffUntil,
        String lastFailure,
        ClusterHealth health,
        long nextDeadlineMillis,
        long nextStartDeadlineMillis) {

    /** An open request: its count and the slots refused or ended so far. */
    public record OpenRequest(String requestId, int count, Instant requestedAt, int refused, int ended) {
    }

    public static ClusterSnapshot of(ClusterState state) {
        return new ClusterSnapshot(state.clusterId(), state.spec, state.generation, state.deleted, state.now,
                List.copyOf(state.podsByName()),
                state.openRequestsInArrivalOrder().stream()
                        .map(r -> new OpenRequest(r.requestId(), r.count(), r.requestedAt(), r.refused(), r.ended())).toList(),
                state.gonePods.ids(), state.closedRequests.ids(), state.nextTaskManagerOrdinal, state.nextJobManagerOrdinal,
                state.consecutiveFailures, state.backoffUntil, state.lastFailure, state.health, state.nextDeadlineMillis,
                state.nextStartDeadlineMillis);
    }

    public ClusterState restore() {
        ClusterState state = new ClusterState(clusterId);
        state.spec = spec;
        state.generation = generation;
        state.deleted = deleted;
        state.now = now;
        state.nowMillis = now.toEpochMilli();
        pods.forEach(state::putPod);
        for (OpenRequest open : requests) {
            state.openRequest(open.requestId(), open.count(), open.requestedAt());
            state.refuse(open.requestId(), open.refused());
            for (int i = 0; i < open.ended(); i++) {
                state.endRequest(open.requestId());
            }
        }
        state.gonePods = BoundedIdSet.of(ClusterState.REMEMBERED_IDS, gonePods);
        state.closedRequests = BoundedIdSet.of(ClusterState.REMEMBERED_IDS, closedRequests);
        state.nextTaskManagerOrdinal = nextTaskManagerOrdinal;
        state.nextJobManagerOrdinal = nextJobManagerOrdinal;
        state.consecutiveFailures = consecutiveFailures;
        state.backoffUntil = backoffUntil;
        state.lastFailure = lastFailure;
        state.health = health;
        state.nextDeadlineMillis = nextDeadlineMillis;
        state.nextStartDeadlineMillis = nextStartDeadlineMillis;
        return state;
    }
}
