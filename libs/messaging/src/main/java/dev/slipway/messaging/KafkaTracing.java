package dev.slipway.messaging;

import dev.slipway.contracts.CloudEventHeaders;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * OpenTelemetry spans around the Kafka hops of raw producers and consumers, with the W3C
 * {@code traceparent} header as the link. Uses the API only: without an SDK every span is a no-op that
 * still carries its parent's context, so the header passes through unchanged. Records without a trace
 * (ticks, telemetry) get no span at all, which keeps hot paths cheap.
 */
public final class KafkaTracing {

    /** The W3C propagator itself, not the configured one: the header format is part of the contract. */
    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final String SCOPE = "dev.slipway.messaging";

    private final Tracer tracer;

    public KafkaTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    /** Uses whatever SDK registered itself globally (Quarkus does), else the no-op API. */
    public static KafkaTracing global() {
        return new KafkaTracing(GlobalOpenTelemetry.get());
    }

    /**
     * Starts a PRODUCER span for {@code record}, child of the current span when there is one (a REST
     * server span, a record's processing span), else of {@code traceparent} (stored with an outbox row,
     * sent by a caller without an SDK), and writes the span's traceparent into the record. Returns null,
     * leaving the record as it is, when there is no trace to continue. The caller ends the span.
     */
    public Span startSend(ProducerRecord<?, ?> record, String traceparent) {
        Context current = Context.current();
        Context parent = Span.fromContext(current).getSpanContext().isValid() || traceparent == null ? current : extract(traceparent);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return null;
        }
        Span span = tracer.spanBuilder(record.topic() + " publish").setSpanKind(SpanKind.PRODUCER).setParent(parent)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", record.topic())
                .startSpan();
        record.headers().remove(CloudEventHeaders.TRACEPARENT);
        W3C.inject(parent.with(span), record.headers(), HeaderSetter.INSTANCE);
        return span;
    }

    /**
     * The record traced as {@link #startSend} does, its span ended at once: for records published in
     * a batch or a transaction, where a per-record acknowledgement is not at hand.
     */
    public <K, V> ProducerRecord<K, V> traced(ProducerRecord<K, V> record, String traceparent) {
        Span span = startSend(record, traceparent);
        if (span != null) {
            span.end();
        }
        return record;
    }

    /**
     * Starts a CONSUMER span for processing {@code record}, child of its traceparent, and makes it
     * current until closed. A record without a traceparent costs nothing: the shared no-op is returned.
     */
    public Processing process(ConsumerRecord<?, ?> record, String operation) {
        String traceparent = EventRecords.text(record.headers(), CloudEventHeaders.TRACEPARENT);
        return traceparent == null ? Processing.NONE : start(traceparent, operation, SpanKind.CONSUMER);
    }

    /** An INTERNAL span (e.g. creating a pod) under {@code traceparent}; the no-op when it is null. */
    public Processing step(String traceparent, String operation) {
        return traceparent == null ? Processing.NONE : start(traceparent, operation, SpanKind.INTERNAL);
    }

    private Processing start(String traceparent, String operation, SpanKind kind) {
        Context parent = extract(traceparent);
        Span span = tracer.spanBuilder(operation).setSpanKind(kind).setParent(parent)
                .setAttribute("messaging.system", "kafka").startSpan();
        return new Processing(span, parent.with(span).makeCurrent());
    }

    /** The W3C traceparent of the current span, or null when there is no trace. */
    public static String currentTraceparent() {
        Span span = Span.current();
        return span.getSpanContext().isValid() ? traceparentOf(span) : null;
    }

    /** The current span's traceparent (e.g. the REST server span's), else {@code fallback} (e.g. the caller's header). */
    public static String currentTraceparentOr(String fallback) {
        String current = currentTraceparent();
        return current == null ? fallback : current;
    }

    /** The W3C traceparent of {@code span}, or null when it has no valid context. */
    public static String traceparentOf(Span span) {
        if (span == null || !span.getSpanContext().isValid()) {
            return null;
        }
        String[] out = new String[1];
        W3C.inject(Context.root().with(span), out, (carrier, key, value) -> {
            if (CloudEventHeaders.TRACEPARENT.equals(key)) {
                carrier[0] = value;
            }
        });
        return out[0];
    }

    private static Context extract(String traceparent) {
        return W3C.extract(Context.root(), Map.of(CloudEventHeaders.TRACEPARENT, traceparent), MapGetter.INSTANCE);
    }

    /** A span made current while a record is processed; close it with try-with-resources. */
    public static final class Processing implements AutoCloseable {

        static final Processing NONE = new Processing(null, null);

        private final Span span;
        private final Scope scope;

        private Processing(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        /** The traceparent of this span, to hand to work that leaves the current thread; null if none. */
        public String traceparent() {
            return traceparentOf(span);
        }

        /** Marks the span failed. */
        public void fail(Throwable error) {
            if (span != null) {
                span.recordException(error);
                span.setStatus(StatusCode.ERROR);
            }
        }

        @Override
        public void close() {
            if (span != null) {
                scope.close();
                span.end();
            }
        }
    }

    private enum HeaderSetter implements TextMapSetter<Headers> {
        INSTANCE;

        @Override
        public void set(Headers headers, String key, String value) {
            if (headers != null) {
                headers.remove(key);
                headers.add(key, value.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private enum MapGetter implements TextMapGetter<Map<String, String>> {
        INSTANCE;

        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier == null ? Collections.emptyList() : carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    }
}
