package dev.slipway.scheduler.loop;

import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.scheduling.Scheduler;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Brings assigned partitions' state to their committed offsets without publishing anything: restores the clusters of the
 * partition's newest complete snapshot and replays the events after it (from the beginning when there is none). The decider
 * is deterministic, so the rebuilt state is the one the previous owner had.
 */
final class PartitionRebuilder {

    private static final Logger LOG = Logger.getLogger(PartitionRebuilder.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String bootstrapServers;
    private final String instanceId;
    private final SnapshotStore snapshots;

    PartitionRebuilder(String bootstrapServers, String instanceId, SnapshotStore snapshots) {
        this.bootstrapServers = bootstrapServers;
        this.instanceId = instanceId;
        this.snapshots = snapshots;
    }

    /** Rebuilds the partitions' state in {@code states} up to {@code committed}; answers the events replayed in all. */
    long rebuild(Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed, PartitionStates states) {
        long replayedInAll = 0;
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(KafkaClientProperties.boundedReader(bootstrapServers),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            Map<String, SnapshotRecord> latest = snapshots.readLatest(reader);
            for (TopicPartition partition : partitions) {
                long target = committed.get(partition) == null ? 0 : committed.get(partition).offset();
                Scheduler scheduler = states.reset(partition);
                long from = restore(partition, target, latest, scheduler);
                reader.assign(List.of(partition));
                reader.seek(partition, from);
                long replayed = 0;
                while (reader.position(partition) < target) {
                    for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
                        if (record.offset() >= target) {
                            break;
                        }
                        if (states.apply(partition, record).isPresent()) {
                            replayed++;
                        }
                    }
                }
                replayedInAll += replayed;
                LOG.infof("%s owns %s: state of %d clusters rebuilt %s and %d events", instanceId, partition,
                        scheduler.clusters().size(), from == 0 ? "from the beginning" : "from the snapshot at offset " + from, replayed);
            }
        }
        return replayedInAll;
    }

    /**
     * Restores the partition's clusters from its newest marker at or before {@code target}; answers the offset to replay
     * from (0: nothing restored). A snapshot newer than its marker means a batch was half written: its older self may be
     * compacted away, so only a full replay is sure.
     */
    static long restore(TopicPartition partition, long target, Map<String, SnapshotRecord> latest, Scheduler scheduler) {
        SnapshotRecord marker = latest.get(SnapshotRecord.markerKey(partition.partition()));
        boolean consistent = marker != null && marker.offset() <= target && latest.values().stream()
                .noneMatch(other -> other.cluster() != null && other.partition() == partition.partition()
                        && other.offset() > marker.offset());
        if (!consistent) {
            return 0;
        }
        for (SnapshotRecord snapshot : latest.values()) {
            if (snapshot.cluster() != null && snapshot.partition() == partition.partition() && snapshot.offset() <= marker.offset()) {
                scheduler.restore(snapshot.cluster());
            }
        }
        return marker.offset();
    }
}
