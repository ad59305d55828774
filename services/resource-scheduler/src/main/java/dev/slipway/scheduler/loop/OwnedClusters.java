package dev.slipway.scheduler.loop;

import dev.slipway.scheduling.ClusterState;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The clusters this instance decides for now and, of those, the ones with a timeout or back-off pending: what the REST API,
 * the readiness check and the clock ticks read while the loop's thread writes. Thread-safe.
 */
final class OwnedClusters {

    private final Set<String> owned = ConcurrentHashMap.newKeySet();
    /** Owned clusters with a timeout or back-off pending, by when (epoch millis) it is due. */
    private final Map<String, Long> deadlines = new ConcurrentHashMap<>();

    Set<String> owned() {
        return Set.copyOf(owned);
    }

    /** Owned clusters with a timeout or back-off due at {@code now}: the only ones a tick can change. */
    Set<String> dueAt(Instant now) {
        long millis = now.toEpochMilli();
        Set<String> due = new HashSet<>();
        deadlines.forEach((clusterId, deadline) -> {
            if (deadline <= millis) {
                due.add(clusterId);
            }
        });
        return due;
    }

    /** The clusters a batch changed: a full pass per batch would cost O(clusters). */
    void update(Map<String, Optional<ClusterState>> changed) {
        changed.forEach((clusterId, state) -> track(clusterId, state.orElse(null)));
    }

    /** Exactly the given clusters (every cluster of the owned partitions, after partitions changed hands). */
    void replaceWith(Collection<ClusterState> all) {
        Set<String> known = new HashSet<>();
        for (ClusterState state : all) {
            known.add(state.clusterId());
            track(state.clusterId(), state);
        }
        owned.retainAll(known);
        deadlines.keySet().retainAll(known);
    }

    void clear() {
        owned.clear();
        deadlines.clear();
    }

    /** Whether this instance decides for the cluster (null: not any more) and when its next deadline is due. */
    private void track(String clusterId, ClusterState state) {
        if (state != null && state.spec() != null && !state.deleted()) {
            owned.add(clusterId);
        } else {
            owned.remove(clusterId);
        }
        if (state != null && state.waitingForTime()) {
            deadlines.put(clusterId, state.nextDeadlineMillis());
        } else {
            deadlines.remove(clusterId);
        }
    }
}
