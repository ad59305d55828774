package dev.slipway.scheduler.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * {@link Delivery#AT_LEAST_ONCE}: a batch's output is sent and acknowledged, then its offsets are committed in the
 * background, at most every {@link #COMMIT_INTERVAL}. Offsets not committed yet only mean that a crash re-decides those
 * records and re-publishes the same decisions (same ids); a hand-over or a stop commits synchronously. Snapshots are
 * written off the loop's thread ({@link SnapshotWriter}).
 */
final class AtLeastOnceDelivery implements DeliveryStrategy {

    private static final Logger LOG = Logger.getLogger(AtLeastOnceDelivery.class);
    /** How often processed offsets are committed in the background: a commit per batch is a broker write per request. */
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final SnapshotWriter snapshotWriter;
    /** Offsets processed and published but not committed yet. */
    private final Map<TopicPartition, OffsetAndMetadata> pendingOffsets = new HashMap<>();
    private final Duration commitInterval;
    private long lastCommitNanos = System.nanoTime();

    AtLeastOnceDelivery(String bootstrapServers, String instanceId, KafkaConsumer<String, byte[]> consumer, SnapshotStore snapshots) {
        this(bootstrapServers, instanceId, consumer, snapshots, COMMIT_INTERVAL);
    }

    /** {@code commitInterval}: how often offsets are committed in the background (tests stretch it to see the hand-over's). */
    AtLeastOnceDelivery(String bootstrapServers, String instanceId, KafkaConsumer<String, byte[]> consumer, SnapshotStore snapshots,
            Duration commitInterval) {
        this.commitInterval = commitInterval;
        this.consumer = consumer;
        this.producer = new KafkaProducer<>(DeliveryStrategy.publisherProperties(bootstrapServers), new StringSerializer(),
                new ByteArraySerializer());
        this.snapshotWriter = new SnapshotWriter(bootstrapServers, instanceId, snapshots);
    }

    @Override
    public void start() {
        // nothing to set up
    }

    /** A batch costs one acknowledged send, not a transaction: waiting for more would only add latency. */
    @Override
    public Duration gatherFor() {
        return Duration.ZERO;
    }

    /** Sends, waits for every acknowledgement, then commits the offsets without waiting. */
    @Override
    public boolean publish(List<ProducerRecord<String, byte[]>> output, Map<TopicPartition, OffsetAndMetadata> offsets) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(output.size());
        output.forEach(record -> sent.add(producer.send(record)));
        producer.flush();
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (ExecutionException e) {
            LOG.warnf("publishing failed, re-reading from the committed offsets: %s", e.getCause().getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        // The next commit covers these offsets if this one fails; a crash before it re-publishes the same decisions.
        commitInBackground(offsets);
        return true;
    }

    /** Nothing was published, so nothing waits on this commit (deciding these records again publishes nothing new). */
    @Override
    public boolean commitOnly(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commitInBackground(offsets);
        return true;
    }

    @Override
    public void snapshot(PartitionStates.Snapshot snapshot, List<ProducerRecord<String, byte[]>> output) {
        snapshotWriter.write(snapshot);
    }

    @Override
    public void idle() {
        commitPendingIfDue();
    }

    @Override
    public void handOver(Collection<TopicPartition> partitions) {
        snapshotWriter.await();
        if (!partitions.isEmpty()) {
            // Not the consumer's position: a rebalance during a poll that gathers a batch comes before that batch is decided.
            commitPublishedNow();
        }
        // The next owner commits these partitions from now on; a late commit of ours would move them back.
        partitions.forEach(pendingOffsets::remove);
    }

    @Override
    public void awaitSnapshotWrites() {
        snapshotWriter.await();
    }

    @Override
    public void rewound() {
        pendingOffsets.clear();
    }

    /** Commits what is published, then lets go of the producers. */
    @Override
    public void close() {
        commitPublishedNow();
        snapshotWriter.close();
        producer.close();
    }

    private void commitInBackground(Map<TopicPartition, OffsetAndMetadata> offsets) {
        pendingOffsets.putAll(offsets);
        commitPendingIfDue();
    }

    private void commitPendingIfDue() {
        if (pendingOffsets.isEmpty() || System.nanoTime() - lastCommitNanos < commitInterval.toNanos()) {
            return;
        }
        lastCommitNanos = System.nanoTime();
        consumer.commitAsync(new HashMap<>(pendingOffsets), (committed, error) -> {
            if (error != null) {
                LOG.debugf("offset commit failed: %s", error.getMessage());
            }
        });
        pendingOffsets.clear();
    }

    private void commitPublishedNow() {
        if (pendingOffsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(pendingOffsets);
            pendingOffsets.clear();
        } catch (KafkaException e) {
            LOG.warnf("commit failed; the next reader of these partitions re-publishes their tail: %s", e.getMessage());
        }
    }
}
