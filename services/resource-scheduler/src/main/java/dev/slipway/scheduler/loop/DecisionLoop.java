package dev.slipway.scheduler.loop;

import dev.slipway.contracts.Topics;
import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.messaging.KafkaTracing;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The scheduler's write path, a pipeline over its collaborators: consumes {@code slipway.resources.v1} in a consumer group
 * in batches ({@link Batcher}), decides for the clusters of its partitions ({@link PartitionStates}) and publishes decisions,
 * dead letters and snapshots by the mode's {@link DeliveryStrategy}: acknowledged before the offsets are committed (at
 * least once; a redelivered decision has the same id) or in one Kafka transaction with the offsets (exactly once). When
 * partitions are assigned, their clusters' state is rebuilt from the newest snapshot and the events after it, without
 * publishing ({@link PartitionRebuilder}). Every {@code snapshotEvery} events of a partition, the states of the clusters
 * that changed are written to {@code slipway.scheduler-snapshots.v1} ({@link SnapshotStore}).
 */
public final class DecisionLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DecisionLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int MAX_BATCH = 2000;

    private final String group;
    private final String instanceId;
    private final KafkaConsumer<String, byte[]> consumer;
    private final DeliveryStrategy delivery;
    private final Batcher batcher;
    private final PartitionStates states = new PartitionStates();
    private final PartitionRebuilder rebuilder;
    private final OwnedClusters owned = new OwnedClusters();
    private final BatchDecider decider;
    private final AtomicLong decisionsPublished = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong lastRebuildReplayed = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    /** A loop without an SDK: traceparents still pass from each record to its decisions. */
    public DecisionLoop(String bootstrapServers, String group, String instanceId, int snapshotEvery, Delivery delivery) {
        this(bootstrapServers, group, instanceId, snapshotEvery, delivery, new KafkaTracing(OpenTelemetry.noop()));
    }

    public DecisionLoop(String bootstrapServers, String group, String instanceId, int snapshotEvery, Delivery delivery,
            KafkaTracing tracing) {
        this.group = group;
        this.instanceId = instanceId;
        this.decider = new BatchDecider(states, tracing, snapshotEvery);
        this.consumer = new KafkaConsumer<>(consumerProperties(bootstrapServers), new StringDeserializer(), new ByteArrayDeserializer());
        SnapshotStore snapshots = new SnapshotStore(group);
        this.delivery = DeliveryStrategy.of(delivery, bootstrapServers, instanceId, consumer, snapshots);
        this.batcher = new Batcher(consumer, POLL, MAX_BATCH, this.delivery.gatherFor());
        this.rebuilder = new PartitionRebuilder(bootstrapServers, instanceId, snapshots);
        this.thread = new Thread(this::run, "decision-loop-" + instanceId);
    }

    public DecisionLoop start() {
        delivery.start();
        consumer.subscribe(List.of(Topics.RESOURCES), new Rebalance());
        thread.start();
        return this;
    }

    public boolean running() {
        return thread.isAlive();
    }

    /** Clusters this instance decides for now (those with a spec, not deleted). */
    public Set<String> ownedClusters() {
        return owned.owned();
    }

    /** Owned clusters with a timeout or back-off due at {@code now}: the only ones a tick can change. */
    public Set<String> clustersDueAt(Instant now) {
        return owned.dueAt(now);
    }

    public long decisionsPublished() {
        return decisionsPublished.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    /** Events replayed by the last rebuild (after restoring snapshots). */
    public long lastRebuildReplayed() {
        return lastRebuildReplayed.get();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (running) {
                List<ConsumerRecord<String, byte[]>> batch = batcher.next();
                if (!batch.isEmpty()) {
                    process(batch);
                } else {
                    delivery.idle();
                }
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (RuntimeException e) {
            LOG.errorf(e, "decision loop %s stopped: %s", instanceId, e.getMessage());
        } finally {
            try {
                // Only what was published: a batch cut short by an error is decided again by whoever reads it next.
                delivery.close();
            } finally {
                consumer.close();
                owned.clear();
            }
        }
    }

    /** Decides for a batch, then publishes its output and commits its offsets; on failure re-reads from the committed ones. */
    private void process(List<ConsumerRecord<String, byte[]>> records) {
        BatchDecider.Decided decided = decider.decide(records);
        List<ProducerRecord<String, byte[]>> output = decided.output();
        decided.snapshots().forEach(snapshot -> delivery.snapshot(snapshot, output));
        boolean done = output.isEmpty() ? delivery.commitOnly(decided.offsets()) : delivery.publish(output, decided.offsets());
        if (done) {
            decisionsPublished.addAndGet(decided.published());
            deadLettered.addAndGet(decided.deadLettered());
            owned.update(states.takeTouched());
        } else {
            states.dropTouched();
            // What was published but not committed is decided and published again (same ids) after the rebuild.
            delivery.rewound();
            rebuild(consumer.assignment());
        }
    }

    /** Rebuilds the given partitions' state up to their committed offsets and positions the consumer there. */
    private void rebuild(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        delivery.awaitSnapshotWrites();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        lastRebuildReplayed.set(rebuilder.rebuild(partitions, committed, states));
        for (TopicPartition partition : partitions) {
            consumer.seek(partition, committed.get(partition) == null ? 0 : committed.get(partition).offset());
        }
        states.dropTouched();
        owned.replaceWith(states.clusters());
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            delivery.handOver(partitions);
            batcher.revoked(partitions);
            states.remove(partitions);
            owned.replaceWith(states.clusters());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            rebuild(partitions);
        }
    }

    private Properties consumerProperties(String bootstrapServers) {
        Properties props = KafkaClientProperties.committedReader(bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + instanceId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        return props;
    }
}
