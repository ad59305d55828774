package dev.slipway.submission.messaging;

import dev.slipway.messaging.KafkaTracing;
import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The Kafka hops' tracing over the SDK Quarkus configures (a no-op one when {@code quarkus.otel.sdk.disabled}). */
public class Tracing {

    @Produces
    @Singleton
    KafkaTracing kafkaTracing(OpenTelemetry openTelemetry) {
        return new KafkaTracing(openTelemetry);
    }
}
