package dev.slipway.indexer.rest;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps the tokens that EventSource clients send as {@code access_token=} out of the traces: the HTTP server span records the
 * request's query, and a reader or operator token in a tracing backend would read clusters. Quarkus runs every SpanProcessor
 * bean; this one rewrites the query attributes as the span starts.
 */
@ApplicationScoped
public class AccessTokenRedaction implements SpanProcessor {

    static final String REDACTED = "access_token=REDACTED";
    private static final Pattern TOKEN = Pattern.compile("access_token=[^&#]*");
    /** Where the instrumentation puts the query: stable semantic conventions, and the older ones. */
    private static final List<AttributeKey<String>> QUERY_ATTRIBUTES = List.of(AttributeKey.stringKey("url.query"),
            AttributeKey.stringKey("url.full"), AttributeKey.stringKey("http.target"), AttributeKey.stringKey("http.url"));

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        for (AttributeKey<String> key : QUERY_ATTRIBUTES) {
            String value = span.getAttribute(key);
            if (value != null && value.contains("access_token=")) {
                span.setAttribute(key, redact(value));
            }
        }
    }

    static String redact(String text) {
        return TOKEN.matcher(text).replaceAll(REDACTED);
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        // nothing: the attributes were rewritten at the start
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
