package dev.slipway.scheduler.loop;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.scheduling.ClusterSnapshot;
import dev.slipway.scheduling.ClusterState;
import dev.slipway.scheduling.Scheduler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The decider's state per owned partition of {@code slipway.resources.v1}: feeds each record to its partition's
 * {@link Scheduler}, and remembers which clusters changed since the partition's last snapshot and since the last batch.
 * No I/O: the loop decides what is published and when.
 */
final class PartitionStates {

    private static final Logger LOG = Logger.getLogger(PartitionStates.class);

    private final Map<TopicPartition, Scheduler> schedulers = new HashMap<>();
    private final Map<TopicPartition, Set<String>> changedSinceSnapshot = new HashMap<>();
    private final Map<TopicPartition, Long> eventsSinceSnapshot = new HashMap<>();
    /** Clusters changed since {@link #takeTouched()} was last called, with their partition. */
    private final Map<String, TopicPartition> touched = new HashMap<>();

    /** The decisions of a record, or empty when the record is not a resource event of its key's cluster (a dead letter). */
    Optional<List<Decision>> apply(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
        DecodeResult<ResourceEvent> decoded = EventRecords.decode(record, ResourceEvent.class);
        if (!(decoded instanceof DecodeResult.Decoded<ResourceEvent> event)) {
            return Optional.empty();
        }
        if (!event.unknownFields().isEmpty()) {
            LOG.debugf("record %s/%d/%d has fields this version ignores: %s", record.topic(), record.partition(),
                    record.offset(), event.unknownFields());
        }
        if (record.key() == null || !record.key().equals(event.event().clusterId())) {
            return Optional.empty();
        }
        changedSinceSnapshot.computeIfAbsent(partition, p -> new HashSet<>()).add(event.event().clusterId());
        touched.put(event.event().clusterId(), partition);
        eventsSinceSnapshot.merge(partition, 1L, Long::sum);
        return Optional.of(schedulers.computeIfAbsent(partition, p -> new Scheduler()).handle(event.event()));
    }

    /** Why a record is a dead letter: it does not decode, or its key is not its event's cluster. */
    static String deadLetterReason(ConsumerRecord<String, byte[]> record) {
        DecodeResult<ResourceEvent> decoded = EventRecords.decode(record, ResourceEvent.class);
        if (decoded instanceof DecodeResult.Rejected<ResourceEvent> rejected) {
            return rejected.describe();
        }
        ResourceEvent event = ((DecodeResult.Decoded<ResourceEvent>) decoded).event();
        return "KEY_MISMATCH: record key '" + record.key() + "' is not the event's cluster id '" + event.clusterId() + "'";
    }

    /**
     * The snapshot of the partition as of {@code nextOffset} when at least {@code every} events passed since its last one:
     * the state of each cluster that changed, then the marker saying all of them are written. Empty when not due.
     */
    Optional<Snapshot> snapshotIfDue(TopicPartition partition, long nextOffset, int every) {
        if (eventsSinceSnapshot.getOrDefault(partition, 0L) < every) {
            return Optional.empty();
        }
        Scheduler scheduler = schedulers.get(partition);
        List<SnapshotRecord> clusters = new ArrayList<>();
        for (String clusterId : changedSinceSnapshot.getOrDefault(partition, Set.of())) {
            scheduler.cluster(clusterId).ifPresent(state ->
                    clusters.add(new SnapshotRecord(partition.partition(), nextOffset, ClusterSnapshot.of(state))));
        }
        changedSinceSnapshot.remove(partition);
        eventsSinceSnapshot.remove(partition);
        return Optional.of(new Snapshot(clusters, new SnapshotRecord(partition.partition(), nextOffset, null)));
    }

    /** A partition's cluster snapshots and the marker written after them. */
    record Snapshot(List<SnapshotRecord> clusters, SnapshotRecord marker) {
    }

    /** Starts the partition over with an empty decider (before a rebuild). */
    Scheduler reset(TopicPartition partition) {
        Scheduler scheduler = new Scheduler();
        schedulers.put(partition, scheduler);
        changedSinceSnapshot.remove(partition);
        eventsSinceSnapshot.remove(partition);
        return scheduler;
    }

    /** The partitions went to another instance. */
    void remove(Collection<TopicPartition> partitions) {
        partitions.forEach(schedulers::remove);
    }

    /** The clusters changed since the last call, with their state now (empty when their partition went away). */
    Map<String, Optional<ClusterState>> takeTouched() {
        Map<String, Optional<ClusterState>> states = new HashMap<>();
        touched.forEach((clusterId, partition) -> {
            Scheduler scheduler = schedulers.get(partition);
            states.put(clusterId, scheduler == null ? Optional.empty() : scheduler.cluster(clusterId));
        });
        touched.clear();
        return states;
    }

    /** Forgets what the last batch changed (it was not published). */
    void dropTouched() {
        touched.clear();
    }

    /** Every cluster of every owned partition. */
    List<ClusterState> clusters() {
        List<ClusterState> all = new ArrayList<>();
        schedulers.values().forEach(scheduler -> all.addAll(scheduler.clusters()));
        return all;
    }
}
