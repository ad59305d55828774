package dev.slipway.scheduler.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pod streams of the resource managers following their clusters, by cluster: a change reaches the streams of its own
 * cluster only. One broadcast filtered by every stream cost each change a call per open stream, so with every JobManager
 * of a fleet following its cluster the work per change grew with the fleet.
 */
final class PodChangeStreams {

    /**
     * A slow reader (a resource manager across a network) gets a buffer of just under this many changes, not a failed stream;
     * at it the stream fails, and the resource manager reconnects and lists its pods.
     */
    static final int BUFFERED_CHANGES = 10_000;

    private final Map<String, Set<MultiEmitter<? super ResourceView.PodChange>>> streams = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** The cluster's changes from now on, until the subscriber cancels, the stream fails or the view closes. */
    Multi<ResourceView.PodChange> of(String clusterId) {
        return Multi.createFrom().deferred(() -> {
            AtomicReference<MultiEmitter<? super ResourceView.PodChange>> joined = new AtomicReference<>();
            return Multi.createFrom().<ResourceView.PodChange>emitter(emitter -> {
                joined.set(emitter);
                join(clusterId, emitter);
                if (closed) {
                    emitter.complete();
                }
            }, BUFFERED_CHANGES)
                    // Here rather than on the emitter: an emitter whose buffer overflowed ends without calling its own.
                    .onTermination().invoke(() -> leave(clusterId, joined.get()));
        });
    }

    void publish(ResourceView.PodChange change) {
        Set<MultiEmitter<? super ResourceView.PodChange>> open = streams.get(change.clusterId());
        if (open != null) {
            open.forEach(emitter -> emitter.emit(change));
        }
    }

    /** Open streams, of every cluster. */
    int open() {
        return streams.values().stream().mapToInt(Set::size).sum();
    }

    void completeAll() {
        closed = true;
        streams.values().forEach(open -> open.forEach(MultiEmitter::complete));
    }

    private void join(String clusterId, MultiEmitter<? super ResourceView.PodChange> emitter) {
        streams.compute(clusterId, (id, open) -> {
            Set<MultiEmitter<? super ResourceView.PodChange>> joined = open == null ? ConcurrentHashMap.newKeySet() : open;
            joined.add(emitter);
            return joined;
        });
    }

    private void leave(String clusterId, MultiEmitter<? super ResourceView.PodChange> emitter) {
        if (emitter == null) {
            return;
        }
        // Removing the cluster's entry with its last stream keeps the map to the clusters followed now.
        streams.computeIfPresent(clusterId, (id, open) -> {
            open.remove(emitter);
            return open.isEmpty() ? null : open;
        });
    }
}
