package dev.slipway.scheduler.messaging;

import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.messaging.KafkaTracing;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Appends resource events that arrive over REST to {@code slipway.resources.v1}, acknowledged by all replicas. */
@ApplicationScoped
public class ResourceEventPublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaTracing tracing;

    public ResourceEventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, KafkaTracing tracing) {
        this.tracing = tracing;
        Properties props = KafkaClientProperties.idempotentProducer(bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Publishes under a PRODUCER span, child of the REST server span; {@code traceparent} (the request's
     * header) is the parent only when no SDK made a server span.
     */
    public Uni<RecordMetadata> publish(ResourceEvent event, String traceparent) {
        return Uni.createFrom().emitter(emitter ->
                tracing.send(producer, EventRecords.toRecord(event, EventSources.RESOURCE_SCHEDULER, traceparent), traceparent,
                        (metadata, error) -> {
                            if (error != null) {
                                emitter.fail(error);
                            } else {
                                emitter.complete(metadata);
                            }
                        }));
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
