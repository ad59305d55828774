package dev.slipway.scheduler.messaging;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.PodAssigned;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.TopicTail;
import dev.slipway.scheduling.ClusterState;
import dev.slipway.scheduling.PodRecord;
import dev.slipway.scheduling.PodStatus;
import dev.slipway.scheduling.Scheduler;
import io.smallrye.mutiny.Multi;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The read side, on every instance: reads all of {@code slipway.resources.v1} (no consumer group)
 * and folds it through its own scheduler. The decider is deterministic, so this state and these
 * decisions are exactly the owner's, and any instance can answer for any cluster. Pod changes go to
 * the server-sent-event streams the resource managers follow, each to its own cluster's.
 */
public final class ResourceView implements AutoCloseable {

    private final Scheduler scheduler = new Scheduler();
    private final Map<String, Deque<Decision>> decisions = new HashMap<>();
    private final int decisionsKept;
    private final TopicTail tail;
    private final PodChangeStreams podChanges = new PodChangeStreams();
    private volatile long eventsRead;

    /** A pod as it is after a change, for the stream. */
    public record PodChange(String clusterId, PodRecord pod) {
    }

    public ResourceView(String bootstrapServers, int decisionsKept) {
        this.decisionsKept = decisionsKept;
        this.tail = new TopicTail(bootstrapServers, "resource-view", List.of(Topics.RESOURCES), TopicTail.From.BEGINNING, this::read);
    }

    public ResourceView start() {
        tail.start();
        return this;
    }

    public boolean running() {
        return tail.running();
    }

    public long eventsRead() {
        return eventsRead;
    }

    public synchronized Optional<ClusterState> cluster(String clusterId) {
        return scheduler.cluster(clusterId).map(ClusterState::copy);
    }

    /**
     * What {@code query} reads of the cluster's state, under the view's lock and without copying the state: for the checks on
     * every request and release, where a copy of a large cluster cost a fifth of the service's CPU (profiled at 5,000
     * requests/s). {@code query} must answer something that does not change afterwards (a record, a number).
     */
    public synchronized <T> Optional<T> query(String clusterId, Function<ClusterState, T> query) {
        return scheduler.cluster(clusterId).map(query);
    }

    /** Newest first. */
    public synchronized List<Decision> decisions(String clusterId) {
        Deque<Decision> kept = decisions.get(clusterId);
        if (kept == null) {
            return List.of();
        }
        List<Decision> newestFirst = new ArrayList<>(kept.size());
        kept.descendingIterator().forEachRemaining(newestFirst::add);
        return newestFirst;
    }

    public Multi<PodChange> podChanges(String clusterId) {
        return podChanges.of(clusterId);
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        DecodeResult<ResourceEvent> decoded = EventRecords.decode(record, ResourceEvent.class);
        if (decoded instanceof DecodeResult.Decoded<ResourceEvent> event && event.event().clusterId().equals(record.key())) {
            fold(event.event());
        }
        eventsRead++;
    }

    private void fold(ResourceEvent event) {
        List<PodChange> changes = new ArrayList<>();
        synchronized (this) {
            PodRecord before = event instanceof PodFact fact
                    ? scheduler.cluster(event.clusterId()).map(cluster -> cluster.pod(fact.podName())).orElse(null)
                    : null;
            List<Decision> made = scheduler.handle(event);
            ClusterState state = scheduler.cluster(event.clusterId()).orElseThrow();
            Set<String> touched = new LinkedHashSet<>();
            if (event instanceof PodFact fact) {
                touched.add(fact.podName());
            }
            if (!made.isEmpty()) {
                Deque<Decision> kept = decisions.computeIfAbsent(event.clusterId(), id -> new ArrayDeque<>());
                for (Decision decision : made) {
                    kept.addLast(decision);
                    if (kept.size() > decisionsKept) {
                        kept.removeFirst();
                    }
                    podOf(decision).ifPresent(touched::add);
                }
            }
            for (String pod : touched) {
                PodRecord record = state.pod(pod);
                if (record != null) {
                    changes.add(new PodChange(event.clusterId(), record));
                } else if (before != null && before.name().equals(pod)) {
                    // The pod is gone from the state: readers still need to hear that it ended.
                    changes.add(new PodChange(event.clusterId(), new PodRecord(before.name(), before.role(), before.requestId(),
                            PodStatus.TERMINATING, before.decidedAt(), before.readyAt(), before.nodeName(), before.idleSince())));
                }
            }
        }
        changes.forEach(podChanges::publish);
    }

    private static Optional<String> podOf(Decision decision) {
        if (decision instanceof ProvisionPod provision) {
            return Optional.of(provision.podName());
        } else if (decision instanceof DeletePod delete) {
            return Optional.of(delete.podName());
        } else if (decision instanceof PodAssigned assigned) {
            return Optional.of(assigned.podName());
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        tail.close();
        podChanges.completeAll();
    }
}
