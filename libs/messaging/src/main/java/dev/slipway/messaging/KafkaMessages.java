package dev.slipway.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Records built by {@link EventRecords} as messages of an outgoing SmallRye Kafka channel. */
public final class KafkaMessages {

    /** SmallRye Reactive Messaging's code for an emitter whose buffer is full. */
    private static final String EMITTER_FULL = "SRMSG00034";

    private KafkaMessages() {
    }

    /**
     * The record's key, topic and headers (EventRecords' CloudEvents headers and the traceparent) go out unchanged: the
     * channel's own topic, CloudEvents and tracing step aside for what the record says.
     */
    public static Message<byte[]> of(ProducerRecord<String, byte[]> record) {
        return Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(record.topic()).withKey(record.key()).withHeaders(record.headers()).build());
    }

    /**
     * Whether {@code failure} of a send means the broker did not take the record now, and the same send later may succeed:
     * a retriable Kafka error (no leader, timeout, network), or the emitter refusing more while the broker acknowledges
     * nothing (SmallRye's "insufficient downstream requests", SRMSG00034, once its buffer is full).
     */
    public static boolean notTaken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RetriableException
                    || (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).startsWith(EMITTER_FULL))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends the record through the channel's emitter (lazily, as the emitter's Uni does); {@code span}, the PRODUCER span
     * {@link KafkaTracing#startSend} began for it (null for none), ends with the broker's acknowledgement, marked as an
     * error when the send fails.
     */
    public static Uni<Void> send(MutinyEmitter<byte[]> emitter, ProducerRecord<String, byte[]> record, Span span) {
        Uni<Void> sent = emitter.sendMessage(of(record));
        if (span == null) {
            return sent;
        }
        return sent.onItem().invoke(() -> span.end()).onFailure().invoke(error -> {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR);
            span.end();
        });
    }
}
