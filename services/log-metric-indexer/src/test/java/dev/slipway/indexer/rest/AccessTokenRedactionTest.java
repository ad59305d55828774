package dev.slipway.indexer.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

/** A token sent as access_token= never reaches the exported span, whatever else the query holds. */
class AccessTokenRedactionTest {

    private static SpanData served(String query) {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(new AccessTokenRedaction())
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build()) {
            tracing.get("test").spanBuilder("GET /api/v1/logs/stream").setSpanKind(SpanKind.SERVER)
                    .setAttribute("url.path", "/api/v1/logs/stream").setAttribute("url.query", query)
                    .setAttribute("http.target", "/api/v1/logs/stream?" + query).startSpan().end();
            // Exported as it ended (simple processor); read before the provider's close clears the exporter.
            return exported.getFinishedSpanItems().get(0);
        }
    }

    @Test
    void theTokenIsReplacedAndTheRestOfTheQueryStays() {
        SpanData span = served("clusterId=c-1&access_token=slwr1.secret-part&level=WARN");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("url.query")))
                .isEqualTo("clusterId=c-1&access_token=REDACTED&level=WARN");
        assertThat(span.getAttributes().get(AttributeKey.stringKey("http.target")))
                .isEqualTo("/api/v1/logs/stream?clusterId=c-1&access_token=REDACTED&level=WARN");
        assertThat(span.getAttributes().asMap().values()).noneMatch(value -> value.toString().contains("secret-part"));
    }

    @Test
    void aQueryWithoutATokenIsLeftAlone() {
        assertThat(served("clusterId=c-1").getAttributes().get(AttributeKey.stringKey("url.query"))).isEqualTo("clusterId=c-1");
        assertThat(AccessTokenRedaction.redact("access_token=a&access_token=b")).isEqualTo("access_token=REDACTED&access_token=REDACTED");
    }
}
