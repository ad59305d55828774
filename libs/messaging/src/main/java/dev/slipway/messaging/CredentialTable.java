package dev.slipway.messaging;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.auth.TokenGenerations;
import dev.slipway.contracts.credentials.CredentialEvent;
import dev.slipway.contracts.credentials.TokensRevoked;
import dev.slipway.contracts.json.DecodeResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Every cluster's token generation, read from the compacted credentials topic by each instance of each service that verifies
 * or issues cluster tokens. It reads every partition from the start without a group (each instance needs all of it, and
 * owns no offsets), and counts as {@link #loaded()} once it has read up to where the topic ended when it started: before
 * that a revoked token could pass, so verifiers refuse every token until then.
 *
 * <p>Hand-written rather than a SmallRye channel: the library consumes in a group and has no notion of "caught up with the
 * end offsets seen at start", which is what makes a revocation hold from a verifier's first answer.
 */
public final class CredentialTable implements TokenGenerations, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CredentialTable.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Long>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private Map<TopicPartition, Long> endAtStart = Map.of();

    public CredentialTable(String bootstrapServers) {
        this.consumer = new KafkaConsumer<>(KafkaClientProperties.committedReader(bootstrapServers), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "credential-table");
        thread.setDaemon(true);
    }

    /** Starts reading; the topic must exist ({@link TopicSetup#ensure}). */
    public CredentialTable start() {
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.CREDENTIALS, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + Topics.CREDENTIALS + " does not exist: create Slipway's topics first");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        endAtStart = consumer.endOffsets(partitions);
        thread.start();
        return this;
    }

    /** Called with a cluster id and its new generation whenever a revocation raises one, loading included. */
    public void onRevoked(BiConsumer<String, Long> listener) {
        listeners.add(listener);
    }

    @Override
    public long minimum(String clusterId) {
        return generations.getOrDefault(clusterId, 0L);
    }

    @Override
    public boolean loaded() {
        return loaded.getCount() == 0;
    }

    /** True once loaded, false when {@code timeout} passed first. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Still reading: false once it stopped on an error, which a readiness check reports. */
    public boolean running() {
        return thread.isAlive();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                if (!loaded() && endAtStart.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                    loaded.countDown();
                    LOG.infof("credential table loaded: %d clusters with revoked tokens", generations.size());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "credential table stopped: %s", e.getMessage());
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        DecodeResult<CredentialEvent> decoded = EventRecords.decode(record, CredentialEvent.class);
        if (!(decoded instanceof DecodeResult.Decoded<CredentialEvent> ok) || !ok.event().clusterId().equals(record.key())) {
            // Only job-submission writes here, through the event codec; a record it did not write is reported, not obeyed.
            LOG.warnf("ignoring an unreadable record at %s/%d/%d", record.topic(), record.partition(), record.offset());
            return;
        }
        if (ok.event() instanceof TokensRevoked revoked) {
            // Never lower: a compacted topic may hand an older record of a key after a newer one only if it was written so.
            long generation = generations.merge(revoked.clusterId(), revoked.generation(), Math::max);
            if (generation == revoked.generation()) {
                listeners.forEach(listener -> listener.accept(revoked.clusterId(), generation));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
