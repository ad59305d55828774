package dev.slipway.scheduler.loop;

import dev.slipway.messaging.KafkaClientProperties;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * How a batch's decisions, dead letters and snapshots reach Kafka and how its offsets are committed: one implementation per
 * {@link Delivery} mode. Called from the loop's thread only; false from {@link #publish} or {@link #commitOnly} means
 * nothing of the batch counts, and the loop re-reads from the committed offsets.
 */
sealed interface DeliveryStrategy extends AutoCloseable permits AtLeastOnceDelivery, ExactlyOnceDelivery {

    static DeliveryStrategy of(Delivery delivery, String bootstrapServers, String instanceId, KafkaConsumer<String, byte[]> consumer,
            SnapshotStore snapshots) {
        return switch (delivery) {
            case AT_LEAST_ONCE -> new AtLeastOnceDelivery(bootstrapServers, instanceId, consumer, snapshots);
            case EXACTLY_ONCE -> new ExactlyOnceDelivery(bootstrapServers, instanceId, consumer, snapshots);
        };
    }

    /**
     * The decisions' producer, the same for both modes (EXACTLY_ONCE adds its transactional id): idempotent, acknowledged
     * by all replicas, sent at once.
     */
    static Properties publisherProperties(String bootstrapServers) {
        Properties props = KafkaClientProperties.idempotentProducer(bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // With transactions v2 the next transaction's first send often meets the coordinator still writing the
        // last one's markers (CONCURRENT_TRANSACTIONS); the default 100 ms retry back-off would become our latency.
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "2");
        return props;
    }

    /** Before the first batch. */
    void start();

    /** How long the batcher waits for more records once some arrived. */
    Duration gatherFor();

    /** Publishes the batch's output and commits its offsets. */
    boolean publish(List<ProducerRecord<String, byte[]>> output, Map<TopicPartition, OffsetAndMetadata> offsets);

    /** Commits the offsets of a batch that published nothing (ticks before any deadline, most of the time). */
    boolean commitOnly(Map<TopicPartition, OffsetAndMetadata> offsets);

    /** Writes a partition's snapshot: into the batch's {@code output}, or on the side. */
    void snapshot(PartitionStates.Snapshot snapshot, List<ProducerRecord<String, byte[]>> output);

    /** No records came: commits what waits to be committed, if it is time. */
    void idle();

    /**
     * The partitions go to another instance (or the loop stops): hands over exactly what is published, so the next owner
     * re-publishes nothing, and never commits them again.
     */
    void handOver(Collection<TopicPartition> partitions);

    /** Before partitions are rebuilt: a late snapshot of ours must not land over a new owner's. */
    void awaitSnapshotWrites();

    /** The loop re-reads from the committed offsets: what waited to be committed is decided and published again. */
    void rewound();

    @Override
    void close();
}
