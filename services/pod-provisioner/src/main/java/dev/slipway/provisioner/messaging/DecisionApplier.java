package dev.slipway.provisioner.messaging;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaTracing;
import dev.slipway.provisioning.PodBackend;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Applies the scheduler's decisions from the {@value #CHANNEL} channel of SmallRye Reactive Messaging (configured in
 * application.properties): a consumer group in which each instance owns the clusters of its partitions, one decision at a
 * time in each partition's order, offsets committed once applied (at least once). Applying is idempotent (deterministic pod
 * names, deletes of missing pods are no-ops, deleted pods are never recreated), so a redelivered decision changes nothing.
 * A record that cannot be read, or whose applying still fails after a few attempts, goes to the dead-letter topic through
 * the channel's dead-letter strategy, with the platform's {@code slipway_dlq_reason} and {@code slipway_dlq_origin} headers
 * beside the library's.
 */
@ApplicationScoped
public class DecisionApplier {

    static final String CHANNEL = "decisions";
    private static final int ATTEMPTS = 3;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(DecisionApplier.class);

    private final KafkaTracing tracing;
    private final PodTraces traces;
    /** The backend, once the runtime started it: a decision that comes before waits for it. */
    private final CompletableFuture<PodBackend> backend = new CompletableFuture<>();
    private volatile boolean stopping;
    /** One thread applies, as the backends expect (they call the Kubernetes API or start processes, and block). */
    private final ExecutorService applying = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "decision-applier");
        thread.setDaemon(true);
        return thread;
    });

    public DecisionApplier(KafkaTracing tracing, PodTraces traces) {
        this.tracing = tracing;
        this.traces = traces;
    }

    /** Decisions are applied with {@code started} from now on. */
    public void applyWith(PodBackend started) {
        backend.complete(started);
    }

    public boolean applying() {
        return backend.isDone() && !stopping;
    }

    /**
     * Before the backend closes: a decision that comes now is left unacknowledged, so its offset is not committed and the
     * partition's next owner applies it, instead of a closed backend failing it into the dead-letter topic.
     */
    public void stopApplying() {
        stopping = true;
        try {
            // One thread applies: once this runs, the decision being applied (if any) is done.
            applying.submit(() -> { }).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warnf("the decision being applied did not finish before the backend closes: %s", e.toString());
        }
    }

    @Incoming(CHANNEL)
    public Uni<Void> apply(Message<ConsumerRecord<String, byte[]>> message) {
        ConsumerRecord<String, byte[]> record = message.getPayload();
        if (stopping) {
            return Uni.createFrom().nothing();
        }
        DecodeResult<Decision> decoded = EventRecords.decode(record, Decision.class);
        if (decoded instanceof DecodeResult.Rejected<Decision> rejected) {
            return deadLetter(message, record, rejected.describe());
        }
        Decision decision = ((DecodeResult.Decoded<Decision>) decoded).event();
        // The library's consumer span is current here; the pod's creation or deletion is a child of it. A decision that
        // carries no trace starts none: a bare redelivery leaves the pod the trace of its first delivery.
        String traceparent = EventRecords.text(record.headers(), CloudEventHeaders.TRACEPARENT) == null ? null
                : KafkaTracing.currentTraceparent();
        return Uni.createFrom().completionStage(backend)
                .emitOn(applying)
                .chain(started -> {
                    if (stopping) {
                        return Uni.createFrom().<Void>nothing(); // left for the partition's next owner
                    }
                    try {
                        applyRetrying(started, decision, traceparent);
                    } catch (RuntimeException failure) {
                        return stopping ? Uni.createFrom().<Void>nothing() // the backend closes: the next owner tries it
                                : deadLetter(message, record, "APPLY_FAILED after " + ATTEMPTS + " attempts: " + failure);
                    }
                    return Uni.createFrom().completionStage(message.ack());
                })
                // Shut down while the decision waited for the applying thread: left for the next owner too.
                .onFailure(RejectedExecutionException.class).recoverWithUni(() -> Uni.createFrom().nothing());
    }

    /**
     * A backend reports what goes wrong with a pod as facts, so a throw is unexpected: it is tried again a few times, then
     * dead-lettered (the scheduler's start timeout then sees the pod never came).
     */
    private void applyRetrying(PodBackend started, Decision decision, String traceparent) {
        for (int attempt = 1; ; attempt++) {
            try {
                apply(started, decision, traceparent);
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS || stopping) {
                    throw e;
                }
                LOG.warnf("Applying %s failed (attempt %d of %d), trying again: %s", decision.eventId(), attempt, ATTEMPTS, e.toString());
                try {
                    Thread.sleep(RETRY_PAUSE.toMillis() * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void apply(PodBackend started, Decision decision, String traceparent) {
        if (decision instanceof ProvisionPod provision) {
            traced(traceparent, "create pod", provision.clusterId(), provision.podName(), () -> started.provision(provision));
        } else if (decision instanceof DeletePod delete) {
            traced(traceparent, "delete pod", delete.clusterId(), delete.podName(), () -> started.delete(delete));
        }
    }

    /** Runs {@code work} in a child span whose trace the pod's next facts continue (they are observed on other threads). */
    private void traced(String traceparent, String operation, String clusterId, String podName, Runnable work) {
        try (KafkaTracing.Processing step = tracing.step(traceparent, operation)) {
            traces.remember(clusterId, podName, step.traceparent());
            try {
                work.run();
            } catch (RuntimeException e) {
                step.fail(e);
                throw e;
            }
        }
    }

    /** Nacks the record to the channel's dead-letter topic, with why and where it came from in the platform's headers. */
    private static Uni<Void> deadLetter(Message<ConsumerRecord<String, byte[]>> message, ConsumerRecord<String, byte[]> record,
            String reason) {
        LOG.warnf("Dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        OutgoingKafkaRecordMetadata<String> where = OutgoingKafkaRecordMetadata.<String>builder()
                .withHeaders(new RecordHeaders(EventRecords.deadLetterHeaders(record, reason))).build();
        return Uni.createFrom().completionStage(message.nack(new UnappliedDecision(reason), Metadata.of(where)));
    }

    @PreDestroy
    void stop() {
        applying.shutdown();
    }

    /** Why a decision was not applied: the dead letter's reason. */
    static final class UnappliedDecision extends RuntimeException {

        UnappliedDecision(String reason) {
            super(reason, null, false, false);
        }
    }
}
