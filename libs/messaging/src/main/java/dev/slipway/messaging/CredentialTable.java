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
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    private final Map<String, Long> generations = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Long>> listeners = new CopyOnWriteArrayList<>();
    private final TopicTail tail;

    public CredentialTable(String bootstrapServers) {
        this.tail = new TopicTail(bootstrapServers, "credential-table", List.of(Topics.CREDENTIALS), TopicTail.From.BEGINNING,
                this::apply);
    }

    /** Starts reading; the topic must exist ({@link TopicSetup#ensure}). */
    public CredentialTable start() {
        tail.start();
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
        return tail.caughtUp();
    }

    /** True once loaded, false when {@code timeout} passed first. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return tail.awaitCaughtUp(timeout);
    }

    /** Still reading: false once it stopped on an error, which a readiness check reports. */
    public boolean running() {
        return tail.running();
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
        tail.close();
    }
}
