package dev.slipway.testkit.tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What a traced record must show: one traceparent, naming a PRODUCER span that hangs under the span that caused it. */
public final class ProducedTraces {

    private static final String TRACEPARENT = "traceparent";

    private ProducedTraces() {
    }

    /** The parts of the record's one traceparent (version, trace id, span id, flags); fails when it has none or several. */
    public static String[] onlyTraceparent(ConsumerRecord<?, byte[]> record) {
        List<String> traceparents = new ArrayList<>();
        record.headers().headers(TRACEPARENT).forEach(header -> traceparents.add(new String(header.value(), StandardCharsets.UTF_8)));
        if (traceparents.size() != 1) {
            throw new AssertionError("expected one traceparent header, found " + traceparents);
        }
        return traceparents.get(0).split("-");
    }

    /**
     * Fails unless {@code spanId} is a finished PRODUCER span named {@code name} whose parents, followed up through the
     * finished spans, reach {@code ancestorSpanId} (a span of another process, so not among them).
     */
    public static void assertProducerUnder(List<SpanData> finished, String spanId, String name, String ancestorSpanId) {
        Map<String, SpanData> byId = finished.stream()
                .collect(Collectors.toMap(SpanData::getSpanId, Function.identity(), (first, second) -> first));
        SpanData producer = byId.get(spanId);
        if (producer == null || producer.getKind() != SpanKind.PRODUCER || !producer.getName().equals(name)) {
            throw new AssertionError("the traceparent names span " + spanId + ", which is not a finished PRODUCER span named '"
                    + name + "': " + producer);
        }
        String ancestor = producer.getParentSpanId();
        for (int hop = 0; hop < 10 && byId.containsKey(ancestor); hop++) {
            ancestor = byId.get(ancestor).getParentSpanId();
        }
        if (!ancestor.equals(ancestorSpanId)) {
            throw new AssertionError("span " + spanId + " leads up to " + ancestor + ", not to " + ancestorSpanId);
        }
    }
}
