package dev.slipway.testkit.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * An in-memory span exporter as a CDI bean: Quarkus exports to SpanExporter beans when the SDK is on. A service's tests
 * find it by indexing this kit ({@code quarkus.index-dependency.testkit.*} in their test configuration).
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
