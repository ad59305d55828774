package dev.slipway.scheduler.rest;

import dev.slipway.contracts.decisions.ClusterHealth;
import dev.slipway.scheduling.ClusterState;
import dev.slipway.scheduling.PodRecord;
import dev.slipway.scheduling.RequestRecord;
import java.time.Instant;
import java.util.List;

/** A cluster as the scheduler sees it. */
public record ClusterStateView(
        String clusterId,
        String mode,
        boolean deleted,
        Instant asOf,
        ClusterHealth health,
        String lastFailure,
        Instant backoffUntil,
        int liveTaskManagers,
        int warmTaskManagers,
        int taskManagerLimit,
        List<PodRecord> pods,
        List<PendingRequest> openRequests) {

    public record PendingRequest(String requestId, int count, int refused, int ended, Instant requestedAt) {
    }

    static ClusterStateView of(ClusterState state) {
        return new ClusterStateView(state.clusterId(), state.spec() == null ? null : state.spec().mode().name(), state.deleted(),
                state.now(), state.health(), state.lastFailure(), state.backingOff() ? state.backoffUntil() : null,
                state.liveTaskManagers(), state.warmTaskManagers(), state.spec() == null ? 0 : state.spec().taskManagerLimit(),
                List.copyOf(state.pods()),
                state.openRequests().stream().map(ClusterStateView::pending).toList());
    }

    private static PendingRequest pending(RequestRecord request) {
        return new PendingRequest(request.requestId(), request.count(), request.refused(), request.ended(), request.requestedAt());
    }
}
