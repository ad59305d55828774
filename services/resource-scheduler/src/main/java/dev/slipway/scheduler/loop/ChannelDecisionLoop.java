package dev.slipway.scheduler.loop;

import dev.slipway.messaging.KafkaMessages;
import dev.slipway.messaging.KafkaTracing;
import dev.slipway.scheduler.config.SchedulerConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The decision loop on SmallRye Reactive Messaging, AT_LEAST_ONCE only, kept to measure it against {@link DecisionLoop}
 * with the latency benchmark (selected with {@code slipway.scheduler.decision-loop=CHANNEL} and
 * {@code mp.messaging.incoming.resources.enabled=true}): the channel {@code resources} hands over batches, the same
 * {@link BatchDecider} decides them, the {@code decisions-out} emitter publishes, and the batch is acknowledged (and its
 * offsets committed by the throttled strategy) once every record of its output is. Partitions are rebuilt in the
 * library's rebalance listener, on its polling thread, hence the lock around the states. What it does not do: a failed
 * send nacks the batch and the channel stops (the library cannot seek back to re-decide it).
 */
@ApplicationScoped
@Identifier(ChannelDecisionLoop.REBALANCE_LISTENER)
public class ChannelDecisionLoop implements DeciderLoop, KafkaConsumerRebalanceListener {

    public static final String REBALANCE_LISTENER = "decision-loop";

    private final MutinyEmitter<byte[]> decisions;
    private final String bootstrapServers;
    private final SchedulerConfig config;
    private final KafkaTracing tracing;
    private final PartitionStates states = new PartitionStates();
    private final OwnedClusters owned = new OwnedClusters();
    private final AtomicLong decisionsPublished = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicBoolean failed = new AtomicBoolean();
    private BatchDecider decider;
    private PartitionRebuilder rebuilder;
    private SnapshotWriter snapshotWriter;

    public ChannelDecisionLoop(@Channel("decisions-out") MutinyEmitter<byte[]> decisions,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, SchedulerConfig config, KafkaTracing tracing) {
        this.decisions = decisions;
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.tracing = tracing;
    }

    private synchronized void ensureStarted() {
        if (decider == null) {
            String instance = config.instanceId().orElse("channel");
            SnapshotStore snapshots = new SnapshotStore(config.consumerGroup());
            decider = new BatchDecider(states, tracing, config.snapshotEveryEvents());
            rebuilder = new PartitionRebuilder(bootstrapServers, instance, snapshots);
            snapshotWriter = new SnapshotWriter(bootstrapServers, instance, snapshots);
        }
    }

    @Incoming("resources")
    public Uni<Void> decide(ConsumerRecords<String, byte[]> records) {
        ensureStarted();
        BatchDecider.Decided decided;
        synchronized (states) {
            List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
            records.forEach(batch::add);
            decided = decider.decide(batch);
            decided.snapshots().forEach(snapshotWriter::write);
            owned.update(states.takeTouched());
        }
        if (decided.output().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sends = new ArrayList<>(decided.output().size());
        decided.output().forEach(record -> sends.add(decisions.sendMessage(KafkaMessages.of(record))));
        return Uni.join().all(sends).andFailFast().replaceWithVoid()
                .invoke(() -> {
                    decisionsPublished.addAndGet(decided.published());
                    deadLettered.addAndGet(decided.deadLettered());
                })
                .onFailure().invoke(error -> failed.set(true));
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        ensureStarted();
        snapshotWriter.await();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        synchronized (states) {
            rebuilder.rebuild(partitions, committed, states);
            states.dropTouched();
            owned.replaceWith(states.clusters());
        }
        for (TopicPartition partition : partitions) {
            consumer.seek(partition, committed.get(partition) == null ? 0 : committed.get(partition).offset());
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        synchronized (states) {
            states.remove(partitions);
            owned.replaceWith(states.clusters());
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    @Override
    public boolean running() {
        return !failed.get();
    }

    @Override
    public Set<String> ownedClusters() {
        return owned.owned();
    }

    @Override
    public Set<String> clustersDueAt(Instant now) {
        return owned.dueAt(now);
    }

    @Override
    public long decisionsPublished() {
        return decisionsPublished.get();
    }

    @Override
    public long deadLettered() {
        return deadLettered.get();
    }
}
