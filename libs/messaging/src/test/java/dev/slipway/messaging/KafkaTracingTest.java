package dev.slipway.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.CloudEventHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KafkaTracingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00-" + TRACE + "-00f067aa0ba902b7-01";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final KafkaTracing tracing = new KafkaTracing(OpenTelemetrySdk.builder().setTracerProvider(provider).build());

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aSentRecordCarriesItsProducerSpanAsTraceparent() {
        ProducerRecord<String, byte[]> record = tracing.traced(new ProducerRecord<>("t", "k", new byte[0]), PARENT);

        SpanData producer = only(exporter.getFinishedSpanItems());
        assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(producer.getTraceId()).isEqualTo(TRACE);
        assertThat(producer.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(header(record)).isEqualTo("00-" + TRACE + "-" + producer.getSpanId() + "-01");
        assertThat(record.headers().headers(CloudEventHeaders.TRACEPARENT)).hasSize(1);
    }

    @Test
    void aConsumedRecordIsProcessedUnderAChildSpanAndWhatItSendsContinuesTheTrace() {
        ProducerRecord<String, byte[]> sent = tracing.traced(new ProducerRecord<>("t", "k", new byte[0]), PARENT);
        ConsumerRecord<String, byte[]> received = new ConsumerRecord<>("t", 0, 0L, "k", new byte[0]);
        received.headers().add(CloudEventHeaders.TRACEPARENT, header(sent).getBytes(StandardCharsets.UTF_8));

        ProducerRecord<String, byte[]> next;
        String processingParent;
        try (KafkaTracing.Processing processing = tracing.process(received, "t process")) {
            processingParent = processing.traceparent();
            next = tracing.traced(new ProducerRecord<>("u", "k", new byte[0]), null);
        }

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(3).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE));
        SpanData producer = spans.get(0);
        SpanData consumer = spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();
        SpanData second = spans.get(1);
        assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
        assertThat(second.getParentSpanId()).isEqualTo(consumer.getSpanId());
        assertThat(processingParent).contains(consumer.getSpanId());
        assertThat(header(next)).isEqualTo("00-" + TRACE + "-" + second.getSpanId() + "-01");
    }

    @Test
    void recordsWithoutATraceGetNoSpan() {
        ProducerRecord<String, byte[]> record = tracing.traced(new ProducerRecord<>("t", "k", new byte[0]), null);
        try (KafkaTracing.Processing processing = tracing.process(new ConsumerRecord<>("t", 0, 0L, "k", new byte[0]), "p")) {
            assertThat(processing.traceparent()).isNull();
        }
        assertThat(header(record)).isNull();
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void withoutAnSdkTheTraceparentPassesThroughUnchanged() {
        ProducerRecord<String, byte[]> record = new KafkaTracing(OpenTelemetry.noop())
                .traced(new ProducerRecord<>("t", "k", new byte[0]), PARENT);
        assertThat(header(record)).isEqualTo(PARENT);
    }

    private static SpanData only(List<SpanData> spans) {
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

    private static String header(ProducerRecord<String, byte[]> record) {
        return EventRecords.text(record.headers(), CloudEventHeaders.TRACEPARENT);
    }
}
