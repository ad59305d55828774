package dev.slipway.scheduler.messaging;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.messaging.KafkaTracing;
import io.opentelemetry.api.OpenTelemetry;
import dev.slipway.contracts.json.EventJson;
import dev.slipway.scheduling.ClusterSnapshot;
import dev.slipway.scheduling.ClusterState;
import dev.slipway.scheduling.Scheduler;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The scheduler's write path: consumes {@code slipway.resources.v1} in a consumer group, decides for
 * the clusters of its partitions and publishes decisions and dead letters, either acknowledged
 * before the offsets are committed (at least once; a redelivered decision has the same id) or in one
 * Kafka transaction with the offsets (exactly once), see {@link Delivery}. When partitions are assigned, their clusters' state is rebuilt by
 * replaying the partition up to the committed offset without publishing: the decider is
 * deterministic, so the rebuilt state is the one the previous owner had. Every
 * {@code snapshotEvery} events of a partition, the states of the clusters that changed are written
 * to {@code slipway.scheduler-snapshots.v1} in the same transaction, so a rebuild restores them and
 * replays only the events after the last snapshot.
 */
public final class DecisionLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DecisionLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** After records arrive, gather more for this long: fewer, larger transactions cost the broker far less. */
    private static final Duration GATHER = Duration.ofMillis(3);
    private static final int MAX_BATCH = 2000;
    /** AT_LEAST_ONCE: cluster snapshots the writer sends before it waits for their acknowledgements. */
    private static final int SNAPSHOTS_IN_FLIGHT = 16;
    /** AT_LEAST_ONCE: how often processed offsets are committed in the background. */
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

    private final String bootstrapServers;
    private final String group;
    private final String instanceId;
    private final Map<TopicPartition, Scheduler> schedulers = new HashMap<>();
    private final Set<String> ownedClusters = ConcurrentHashMap.newKeySet();
    /** Owned clusters with a timeout or back-off pending, by when (epoch millis) it is due. */
    private final Map<String, Long> deadlines = new ConcurrentHashMap<>();
    private final AtomicLong decisionsPublished = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong lastRebuildReplayed = new AtomicLong();
    private final int snapshotEvery;
    private final Delivery delivery;
    private final Map<TopicPartition, Set<String>> changedSinceSnapshot = new HashMap<>();
    private final Map<TopicPartition, Long> eventsSinceSnapshot = new HashMap<>();
    /** AT_LEAST_ONCE: offsets processed and published but not committed yet. */
    private final Map<TopicPartition, OffsetAndMetadata> pendingOffsets = new HashMap<>();
    private long lastCommitNanos;
    /** Partitions handed over by a poll of {@link #gather}, whose records gathered before it must not be decided. */
    private final Set<TopicPartition> revokedWhileGathering = new HashSet<>();
    /** Clusters the current batch changed, with their partition. */
    private final Map<String, TopicPartition> touchedClusters = new HashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    /**
     * AT_LEAST_ONCE: encodes and sends snapshots off the loop's thread. A partition's snapshot is every cluster
     * it changed, and encoding them held the loop (and every request behind it) for 150-170 ms.
     */
    private final ExecutorService snapshotWriter;
    /** AT_LEAST_ONCE: the writer's own producer, so the loop's flushes never wait for snapshots; null otherwise. */
    private final KafkaProducer<String, byte[]> snapshotProducer;
    /** The last snapshot handed to {@link #snapshotWriter}; waited for before partitions change hands. */
    private Future<?> lastSnapshotWrite = CompletableFuture.completedFuture(null);
    private volatile boolean running = true;

    private final KafkaTracing tracing;

    /** A loop without an SDK: traceparents still pass from each record to its decisions. */
    public DecisionLoop(String bootstrapServers, String group, String instanceId, int snapshotEvery, Delivery delivery) {
        this(bootstrapServers, group, instanceId, snapshotEvery, delivery, new KafkaTracing(OpenTelemetry.noop()));
    }

    public DecisionLoop(String bootstrapServers, String group, String instanceId, int snapshotEvery, Delivery delivery,
            KafkaTracing tracing) {
        this.tracing = tracing;
        this.snapshotEvery = snapshotEvery;
        this.delivery = delivery;
        this.bootstrapServers = bootstrapServers;
        this.group = group;
        this.instanceId = instanceId;
        this.consumer = new KafkaConsumer<>(consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProperties(), new StringSerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "decision-loop-" + instanceId);
        this.snapshotProducer = delivery == Delivery.AT_LEAST_ONCE
                ? new KafkaProducer<>(KafkaClientProperties.idempotentProducer(bootstrapServers), new StringSerializer(),
                        new ByteArraySerializer())
                : null;
        this.snapshotWriter = Executors.newSingleThreadExecutor(runnable -> {
            Thread writer = new Thread(runnable, "snapshot-writer-" + instanceId);
            writer.setDaemon(true);
            return writer;
        });
    }

    public DecisionLoop start() {
        if (delivery == Delivery.EXACTLY_ONCE) {
            producer.initTransactions();
        }
        consumer.subscribe(List.of(Topics.RESOURCES), new Rebalance());
        thread.start();
        return this;
    }

    public boolean running() {
        return thread.isAlive();
    }

    /** Clusters this instance decides for now (those with a spec, not deleted). */
    public Set<String> ownedClusters() {
        return Set.copyOf(ownedClusters);
    }

    /** Owned clusters with a timeout or back-off due at {@code now}: the only ones a tick can change. */
    public Set<String> clustersDueAt(Instant now) {
        long millis = now.toEpochMilli();
        Set<String> due = new HashSet<>();
        deadlines.forEach((clusterId, deadline) -> {
            if (deadline <= millis) {
                due.add(clusterId);
            }
        });
        return due;
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
                List<ConsumerRecord<String, byte[]>> batch = gather(consumer.poll(POLL));
                if (!batch.isEmpty()) {
                    process(batch);
                } else {
                    commitPendingIfDue();
                }
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (RuntimeException e) {
            LOG.errorf(e, "decision loop %s stopped: %s", instanceId, e.getMessage());
        } finally {
            // Only what was published: a batch cut short by an error is decided again by whoever reads it next.
            commitPublishedNow();
            consumer.close();
            awaitSnapshotWrites();
            snapshotWriter.shutdown();
            if (snapshotProducer != null) {
                snapshotProducer.close();
            }
            producer.close();
            ownedClusters.clear();
            deadlines.clear();
        }
    }

    /**
     * The batch to decide: what the first poll brought and whatever the consumer has fetched meanwhile. Only
     * EXACTLY_ONCE waits for more ({@link #GATHER}): each of its batches costs a transaction, while an
     * AT_LEAST_ONCE batch costs one acknowledged send, so waiting would only add latency.
     */
    private List<ConsumerRecord<String, byte[]>> gather(ConsumerRecords<String, byte[]> first) {
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(first.count());
        first.forEach(batch::add);
        revokedWhileGathering.clear();
        long until = System.nanoTime() + (delivery == Delivery.EXACTLY_ONCE ? GATHER.toNanos() : 0);
        while (!batch.isEmpty() && batch.size() < MAX_BATCH) {
            boolean waiting = System.nanoTime() < until;
            ConsumerRecords<String, byte[]> more = consumer.poll(waiting ? Duration.ofMillis(1) : Duration.ZERO);
            if (!revokedWhileGathering.isEmpty()) {
                // That poll handed partitions over: what was gathered of them before is the next owner's to decide, or
                // ours again from the committed offset if they came back. What the poll returned is after the hand-over.
                batch.removeIf(record -> revokedWhileGathering.contains(new TopicPartition(record.topic(), record.partition())));
                revokedWhileGathering.clear();
            }
            if (more.isEmpty() && !waiting) {
                break;
            }
            more.forEach(batch::add);
        }
        return batch;
    }

    /**
     * Decides for a batch. Decisions and dead letters are published in one transaction with the
     * offsets; a batch that publishes nothing (ticks before any deadline, most of the time) only
     * commits its offsets, which needs no transaction since there is no output to keep atomic with.
     */
    private void process(List<ConsumerRecord<String, byte[]>> records) {
        List<ProducerRecord<String, byte[]>> output = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        long published = 0;
        long dead = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            // Only records with a traceparent get spans (ticks carry none): the hot path stays as it was.
            try (KafkaTracing.Processing span = tracing.process(record, "slipway.resources.v1 process")) {
                List<Decision> decisions = apply(partition, record);
                if (decisions == null) {
                    output.add(EventRecords.deadLetter(record, reasonOf(record)));
                    dead++;
                } else {
                    String traceparent = EventRecords.text(record.headers(), CloudEventHeaders.TRACEPARENT);
                    for (Decision decision : decisions) {
                        // Each decision's traceparent is its own PRODUCER span, a child of this record's.
                        output.add(tracing.traced(EventRecords.toRecord(decision, EventSources.RESOURCE_SCHEDULER, traceparent),
                                traceparent));
                    }
                    published += decisions.size();
                }
            }
            offsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
        }
        offsets.forEach((partition, next) -> addSnapshotsIfDue(partition, next.offset(), output));
        boolean committed;
        if (output.isEmpty()) {
            committed = commitOffsetsOnly(offsets);
        } else if (delivery == Delivery.EXACTLY_ONCE) {
            committed = publishInTransaction(output, offsets);
        } else {
            committed = publishThenCommit(output, offsets);
        }
        if (committed) {
            decisionsPublished.addAndGet(published);
            deadLettered.addAndGet(dead);
            refreshTouchedClusters();
        }
        touchedClusters.clear();
    }

    /** Sends, waits for every acknowledgement, then commits the offsets without waiting. */
    private boolean publishThenCommit(List<ProducerRecord<String, byte[]>> output, Map<TopicPartition, OffsetAndMetadata> offsets) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(output.size());
        output.forEach(record -> sent.add(producer.send(record)));
        producer.flush();
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (ExecutionException e) {
            LOG.warnf("publishing failed, re-reading from the committed offsets: %s", e.getCause().getMessage());
            rewindToCommitted();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        // The next commit covers these offsets if this one fails; a crash before it re-publishes the same decisions.
        commitInBackground(offsets);
        return true;
    }

    /**
     * Commits at most every {@link #COMMIT_INTERVAL}: a commit per batch is a broker write per request at low load.
     * Offsets not committed yet only mean that a crash re-decides those records and re-publishes the same decisions
     * (same ids); a hand-over or a stop commits synchronously where the loop is.
     */
    private void commitInBackground(Map<TopicPartition, OffsetAndMetadata> offsets) {
        pendingOffsets.putAll(offsets);
        commitPendingIfDue();
    }

    private void commitPendingIfDue() {
        if (pendingOffsets.isEmpty() || System.nanoTime() - lastCommitNanos < COMMIT_INTERVAL.toNanos()) {
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

    /**
     * AT_LEAST_ONCE: commits the offsets of what is published, now (before a hand-over or a stop). EXACTLY_ONCE
     * committed them with each transaction already.
     */
    private void commitPublishedNow() {
        if (delivery != Delivery.AT_LEAST_ONCE || pendingOffsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(pendingOffsets);
            pendingOffsets.clear();
        } catch (KafkaException e) {
            LOG.warnf("commit failed; the next reader of these partitions re-publishes their tail: %s", e.getMessage());
        }
    }

    private boolean commitOffsetsOnly(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (delivery == Delivery.AT_LEAST_ONCE) {
            // Nothing was published, so nothing waits on this commit: the loop goes on at once (a lost commit
            // only means these records are read again, and deciding them again publishes nothing new).
            commitInBackground(offsets);
            return true;
        }
        try {
            consumer.commitSync(offsets);
            return true;
        } catch (KafkaException e) {
            LOG.warnf("offset commit failed, re-reading from the committed offsets: %s", e.getMessage());
            rewindToCommitted();
            return false;
        }
    }

    private boolean publishInTransaction(List<ProducerRecord<String, byte[]>> output, Map<TopicPartition, OffsetAndMetadata> offsets) {
        producer.beginTransaction();
        try {
            output.forEach(producer::send);
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            return true;
        } catch (ProducerFencedException e) {
            // Another instance took over our transactional id: it owns the work now.
            running = false;
            throw e;
        } catch (KafkaException e) {
            LOG.warnf(e, "transaction aborted, re-reading from the committed offsets: %s", e.getMessage());
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailed) {
                LOG.warnf("abort failed too: %s", abortFailed.getMessage());
            }
            rewindToCommitted();
            return false;
        }
    }

    /** The decisions of a record, or null when the record is not a resource event (dead letter). */
    private List<Decision> apply(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
        DecodeResult<ResourceEvent> decoded = EventRecords.decode(record, ResourceEvent.class);
        if (!(decoded instanceof DecodeResult.Decoded<ResourceEvent> event)) {
            return null;
        }
        if (!event.unknownFields().isEmpty()) {
            LOG.debugf("record %s/%d/%d has fields this version ignores: %s", record.topic(), record.partition(),
                    record.offset(), event.unknownFields());
        }
        if (record.key() == null || !record.key().equals(event.event().clusterId())) {
            return null;
        }
        changedSinceSnapshot.computeIfAbsent(partition, p -> new HashSet<>()).add(event.event().clusterId());
        touchedClusters.put(event.event().clusterId(), partition);
        eventsSinceSnapshot.merge(partition, 1L, Long::sum);
        return schedulers.computeIfAbsent(partition, p -> new Scheduler()).handle(event.event());
    }

    /**
     * Snapshots the partition's changed clusters when enough events passed since the last, at {@code nextOffset}:
     * each cluster's state, then a marker saying that all of them are written. EXACTLY_ONCE adds them to the
     * batch's transaction; AT_LEAST_ONCE copies the states here and leaves encoding and sending to the writer.
     */
    private void addSnapshotsIfDue(TopicPartition partition, long nextOffset, List<ProducerRecord<String, byte[]>> output) {
        if (eventsSinceSnapshot.getOrDefault(partition, 0L) < snapshotEvery) {
            return;
        }
        Scheduler scheduler = schedulers.get(partition);
        List<SnapshotRecord> clusters = new ArrayList<>();
        for (String clusterId : changedSinceSnapshot.getOrDefault(partition, Set.of())) {
            scheduler.cluster(clusterId).ifPresent(state ->
                    clusters.add(new SnapshotRecord(partition.partition(), nextOffset, ClusterSnapshot.of(state))));
        }
        SnapshotRecord marker = new SnapshotRecord(partition.partition(), nextOffset, null);
        changedSinceSnapshot.remove(partition);
        eventsSinceSnapshot.remove(partition);
        if (delivery == Delivery.EXACTLY_ONCE) {
            clusters.forEach(snapshot -> output.add(snapshotRecord(snapshot)));
            output.add(snapshotRecord(marker));
        } else {
            lastSnapshotWrite = snapshotWriter.submit(() -> writeSnapshots(clusters, marker));
        }
    }

    /**
     * The clusters' snapshots, then (only once every one is acknowledged) the marker. Without the marker a
     * rebuild sees snapshots newer than the last marker and replays the partition from further back.
     */
    private void writeSnapshots(List<SnapshotRecord> clusters, SnapshotRecord marker) {
        try {
            // A few at a time, each group acknowledged before the next is encoded: a partition's snapshot can be
            // megabytes, and sent at once it takes the broker and both cores from the decisions for tens of ms.
            for (int from = 0; from < clusters.size(); from += SNAPSHOTS_IN_FLIGHT) {
                List<Future<RecordMetadata>> sent = new ArrayList<>(SNAPSHOTS_IN_FLIGHT);
                for (SnapshotRecord snapshot : clusters.subList(from, Math.min(clusters.size(), from + SNAPSHOTS_IN_FLIGHT))) {
                    sent.add(snapshotProducer.send(snapshotRecord(snapshot)));
                }
                for (Future<RecordMetadata> future : sent) {
                    future.get();
                }
            }
            snapshotProducer.send(snapshotRecord(marker)).get();
        } catch (ExecutionException | RuntimeException e) {
            LOG.warnf("snapshot of partition %d at offset %d not written (a rebuild replays from the one before): %s",
                    marker.partition(), marker.offset(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Before partitions change hands or are rebuilt: a late snapshot of ours must not land over a new owner's. */
    private void awaitSnapshotWrites() {
        try {
            lastSnapshotWrite.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("snapshot writes not finished: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keys carry the consumer group: two groups (say, a shadow scheduler) never read each other's snapshots. */
    private ProducerRecord<String, byte[]> snapshotRecord(SnapshotRecord value) {
        try {
            return new ProducerRecord<>(Topics.SCHEDULER_SNAPSHOTS, group + "|" + value.key(), EventJson.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the snapshot of " + value.key(), e);
        }
    }

    private static String reasonOf(ConsumerRecord<String, byte[]> record) {
        DecodeResult<ResourceEvent> decoded = EventRecords.decode(record, ResourceEvent.class);
        if (decoded instanceof DecodeResult.Rejected<ResourceEvent> rejected) {
            return rejected.describe();
        }
        ResourceEvent event = ((DecodeResult.Decoded<ResourceEvent>) decoded).event();
        return "KEY_MISMATCH: record key '" + record.key() + "' is not the event's cluster id '" + event.clusterId() + "'";
    }

    private void rewindToCommitted() {
        // What was published but not committed is decided and published again (same ids) after the rebuild.
        pendingOffsets.clear();
        Set<TopicPartition> assigned = consumer.assignment();
        rebuild(assigned);
    }

    /** Rebuilds the given partitions' state up to their committed offsets and positions the consumer there. */
    private void rebuild(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        awaitSnapshotWrites();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        long replayedInAll = 0;
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(readerProperties(), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            Map<String, SnapshotRecord> snapshots = readSnapshots(reader);
            for (TopicPartition partition : partitions) {
                long target = committed.get(partition) == null ? 0 : committed.get(partition).offset();
                Scheduler scheduler = new Scheduler();
                schedulers.put(partition, scheduler);
                changedSinceSnapshot.remove(partition);
                eventsSinceSnapshot.remove(partition);
                SnapshotRecord marker = snapshots.get(SnapshotRecord.markerKey(partition.partition()));
                long from = 0;
                boolean consistent = marker != null && marker.offset() <= target && snapshots.values().stream()
                        .noneMatch(other -> other.cluster() != null && other.partition() == partition.partition()
                                && other.offset() > marker.offset());
                // A snapshot newer than its marker means a batch was half written: its older self may be compacted
                // away, so only a full replay is sure.
                if (consistent) {
                    from = marker.offset();
                    for (SnapshotRecord snapshot : snapshots.values()) {
                        if (snapshot.cluster() != null && snapshot.partition() == partition.partition() && snapshot.offset() <= from) {
                            scheduler.restore(snapshot.cluster());
                        }
                    }
                }
                reader.assign(List.of(partition));
                reader.seek(partition, from);
                long replayed = 0;
                while (reader.position(partition) < target) {
                    for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
                        if (record.offset() >= target) {
                            break;
                        }
                        if (apply(partition, record) != null) {
                            replayed++;
                        }
                    }
                }
                consumer.seek(partition, target);
                replayedInAll += replayed;
                LOG.infof("%s owns %s: state of %d clusters rebuilt %s and %d events", instanceId, partition,
                        scheduler.clusters().size(), from == 0 ? "from the beginning" : "from the snapshot at offset " + from, replayed);
            }
        }
        lastRebuildReplayed.set(replayedInAll);
        refreshOwnedClusters();
    }

    /** The newest value of every key of the snapshot topic (it is compacted, so this stays small). */
    private Map<String, SnapshotRecord> readSnapshots(KafkaConsumer<String, byte[]> reader) {
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
                try {
                    latest.put(record.key().substring(prefix.length()), EventJson.mapper().readValue(record.value(), SnapshotRecord.class));
                } catch (IOException e) {
                    LOG.warnf("snapshot %s unreadable, its partition will be replayed from further back: %s", record.key(),
                            e.getMessage());
                    latest.remove(record.key().substring(prefix.length()));
                }
            }
        }
        return latest;
    }

    /** Updates the owned clusters and deadlines for the clusters this batch changed: a full pass per batch costs O(clusters). */
    private void refreshTouchedClusters() {
        touchedClusters.forEach((clusterId, partition) -> {
            Scheduler scheduler = schedulers.get(partition);
            track(clusterId, scheduler == null ? null : scheduler.cluster(clusterId).orElse(null));
        });
    }

    /** Rebuilds the owned clusters and deadlines from every cluster of the assigned partitions. */
    private void refreshOwnedClusters() {
        Set<String> known = new HashSet<>();
        for (Scheduler scheduler : schedulers.values()) {
            for (ClusterState state : scheduler.clusters()) {
                known.add(state.clusterId());
                track(state.clusterId(), state);
            }
        }
        ownedClusters.retainAll(known);
        deadlines.keySet().retainAll(known);
    }

    /** Records whether this instance decides for the cluster (null: not any more) and when its next deadline is due. */
    private void track(String clusterId, ClusterState state) {
        if (state != null && state.spec() != null && !state.deleted()) {
            ownedClusters.add(clusterId);
        } else {
            ownedClusters.remove(clusterId);
        }
        if (state != null && state.waitingForTime()) {
            deadlines.put(clusterId, state.nextDeadlineMillis());
        } else {
            deadlines.remove(clusterId);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            awaitSnapshotWrites();
            if (!partitions.isEmpty()) {
                // Hand over exactly what is published, so the next owner re-publishes nothing. Not the consumer's
                // position: a rebalance during a poll that gathers a batch comes before that batch is decided.
                commitPublishedNow();
            }
            // The next owner commits these partitions from now on; a late commit of ours would move them back.
            partitions.forEach(pendingOffsets::remove);
            revokedWhileGathering.addAll(partitions);
            partitions.forEach(schedulers::remove);
            refreshOwnedClusters();
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

    private Properties consumerProperties() {
        Properties props = readerProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + instanceId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        return props;
    }

    /** Committed records only, offsets never committed: the rebuild reader's settings, and the base of the group consumer's. */
    private Properties readerProperties() {
        Properties props = KafkaClientProperties.committedReader(bootstrapServers);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return props;
    }

    private Properties producerProperties() {
        Properties props = KafkaClientProperties.idempotentProducer(bootstrapServers);
        if (delivery == Delivery.EXACTLY_ONCE) {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "slipway-resource-scheduler-" + instanceId);
        }
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // With transactions v2 the next transaction's first send often meets the coordinator still writing the
        // last one's markers (CONCURRENT_TRANSACTIONS); the default 100 ms retry back-off would become our latency.
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "2");
        return props;
    }
}
