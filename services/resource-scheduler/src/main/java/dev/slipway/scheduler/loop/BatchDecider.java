package dev.slipway.scheduler.loop;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaTracing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides a batch of resource events for the clusters of its partitions: the records to publish (decisions, each with
 * its own PRODUCER span as traceparent, and dead letters), the offsets the batch moves each partition to, and the
 * snapshots due. Publishes nothing itself: how the output reaches Kafka is the caller's delivery.
 */
final class BatchDecider {

    private final PartitionStates states;
    private final KafkaTracing tracing;
    private final int snapshotEvery;

    BatchDecider(PartitionStates states, KafkaTracing tracing, int snapshotEvery) {
        this.states = states;
        this.tracing = tracing;
        this.snapshotEvery = snapshotEvery;
    }

    record Decided(List<ProducerRecord<String, byte[]>> output, Map<TopicPartition, OffsetAndMetadata> offsets,
            List<PartitionStates.Snapshot> snapshots, long published, long deadLettered) {
    }

    Decided decide(Iterable<ConsumerRecord<String, byte[]>> records) {
        List<ProducerRecord<String, byte[]>> output = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        long published = 0;
        long dead = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            // Only records with a traceparent get spans (ticks carry none): the hot path stays as it was.
            try (KafkaTracing.Processing span = tracing.process(record, "slipway.resources.v1 process")) {
                Optional<List<Decision>> decisions = states.apply(partition, record);
                if (decisions.isEmpty()) {
                    output.add(EventRecords.deadLetter(record, PartitionStates.deadLetterReason(record)));
                    dead++;
                } else {
                    String traceparent = EventRecords.text(record.headers(), CloudEventHeaders.TRACEPARENT);
                    for (Decision decision : decisions.get()) {
                        output.add(tracing.traced(EventRecords.toRecord(decision, EventSources.RESOURCE_SCHEDULER, traceparent),
                                traceparent));
                    }
                    published += decisions.get().size();
                }
            }
            offsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
        }
        List<PartitionStates.Snapshot> snapshots = new ArrayList<>();
        offsets.forEach((partition, next) -> states.snapshotIfDue(partition, next.offset(), snapshotEvery).ifPresent(snapshots::add));
        return new Decided(output, offsets, snapshots, published, dead);
    }
}
