package dev.slipway.scheduler.loop;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/** {@link Delivery#EXACTLY_ONCE}: decisions, dead letters, snapshots and offsets of a batch in one Kafka transaction. */
final class ExactlyOnceDelivery implements DeliveryStrategy {

    private static final Logger LOG = Logger.getLogger(ExactlyOnceDelivery.class);
    /** After records arrive, gather more for this long: fewer, larger transactions cost the broker far less. */
    private static final Duration GATHER = Duration.ofMillis(3);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final SnapshotStore snapshots;

    ExactlyOnceDelivery(String bootstrapServers, String instanceId, KafkaConsumer<String, byte[]> consumer, SnapshotStore snapshots) {
        this.consumer = consumer;
        this.snapshots = snapshots;
        Properties props = DeliveryStrategy.publisherProperties(bootstrapServers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "slipway-resource-scheduler-" + instanceId);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void start() {
        producer.initTransactions();
    }

    @Override
    public Duration gatherFor() {
        return GATHER;
    }

    /** A fenced producer (another instance took over the transactional id, and so the work) is thrown: the loop stops. */
    @Override
    public boolean publish(List<ProducerRecord<String, byte[]>> output, Map<TopicPartition, OffsetAndMetadata> offsets) {
        producer.beginTransaction();
        try {
            output.forEach(producer::send);
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            return true;
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warnf(e, "transaction aborted, re-reading from the committed offsets: %s", e.getMessage());
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                LOG.warnf("abort failed too: %s", abortFailed.getMessage());
            }
            return false;
        }
    }

    /** No output to keep atomic with, so no transaction. */
    @Override
    public boolean commitOnly(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets);
            return true;
        } catch (KafkaException e) {
            LOG.warnf("offset commit failed, re-reading from the committed offsets: %s", e.getMessage());
            return false;
        }
    }

    @Override
    public void snapshot(PartitionStates.Snapshot snapshot, List<ProducerRecord<String, byte[]>> output) {
        snapshot.clusters().forEach(cluster -> output.add(snapshots.record(cluster)));
        output.add(snapshots.record(snapshot.marker()));
    }

    @Override
    public void idle() {
        // every transaction committed its offsets already
    }

    @Override
    public void handOver(Collection<TopicPartition> partitions) {
        // every transaction committed its offsets already
    }

    @Override
    public void awaitSnapshotWrites() {
        // snapshots are written in the transactions
    }

    @Override
    public void rewound() {
        // nothing waits outside a transaction
    }

    @Override
    public void close() {
        producer.close();
    }
}
