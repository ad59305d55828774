package dev.slipway.messaging;

import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The Kafka hops' tracing over the SDK Quarkus configures (a no-op one when {@code quarkus.otel.sdk.disabled}), for
 * every service: this module's {@code META-INF/beans.xml} lets Quarkus find it.
 */
public class KafkaTracingProducer {

    @Produces
    @Singleton
    KafkaTracing kafkaTracing(OpenTelemetry openTelemetry) {
        return new KafkaTracing(openTelemetry);
    }
}
