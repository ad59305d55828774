package dev.slipway.scheduler.loop;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.json.EventJson;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The consumer group's snapshots on the compacted {@code slipway.scheduler-snapshots.v1}: how a snapshot is written as a
 * record, and the newest of each key read back. Keys carry the group, so two groups (say, a shadow scheduler) never read
 * each other's snapshots.
 */
final class SnapshotStore {

    private static final Logger LOG = Logger.getLogger(SnapshotStore.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String group;

    SnapshotStore(String group) {
        this.group = group;
    }

    ProducerRecord<String, byte[]> record(SnapshotRecord value) {
        try {
            return new ProducerRecord<>(Topics.SCHEDULER_SNAPSHOTS, group + "|" + value.key(), EventJson.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the snapshot of " + value.key(), e);
        }
    }

    /** The newest value of every key of the group (the topic is compacted, so this stays small), by key without the group. */
    Map<String, SnapshotRecord> readLatest(KafkaConsumer<String, byte[]> reader) {
        String prefix = group + "|";
        Map<String, SnapshotRecord> latest = new HashMap<>();
        List<TopicPartition> partitions = reader.partitionsFor(Topics.SCHEDULER_SNAPSHOTS, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
                if (record.key() == null || !record.key().startsWith(prefix) || record.value() == null) {
                    continue;
                }
                String key = record.key().substring(prefix.length());
                try {
                    latest.put(key, EventJson.mapper().readValue(record.value(), SnapshotRecord.class));
                } catch (IOException e) {
                    LOG.warnf("snapshot %s unreadable, its partition will be replayed from further back: %s", record.key(),
                            e.getMessage());
                    latest.remove(key);
                }
            }
        }
        return latest;
    }
}
