package dev.slipway.scheduler.messaging;

import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaMessages;
import dev.slipway.messaging.KafkaTracing;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Appends resource events to {@code slipway.resources.v1} through the {@value #CHANNEL} channel of SmallRye Reactive Messaging
 * (configured in application.properties): the requests and releases that arrive over REST, and the clock's ticks. Keyed by
 * cluster, idempotent, acknowledged by every replica; the REST answer waits for that acknowledgement.
 */
@ApplicationScoped
public class ResourceEventPublisher {

    static final String CHANNEL = "resource-events";

    private final MutinyEmitter<byte[]> emitter;
    private final KafkaTracing tracing;

    public ResourceEventPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter, KafkaTracing tracing) {
        this.emitter = emitter;
        this.tracing = tracing;
    }

    /**
     * Publishes under a PRODUCER span, child of the REST server span, ended with the broker's acknowledgement;
     * {@code traceparent} (the request's header) is the parent only when no SDK made a server span.
     */
    public Uni<Void> publish(ResourceEvent event, String traceparent) {
        ProducerRecord<String, byte[]> record = EventRecords.toRecord(event, EventSources.RESOURCE_SCHEDULER, traceparent);
        return KafkaMessages.send(emitter, record, tracing.startSend(record, traceparent));
    }

    /** Publishes without a span: the clock's ticks, which no request waits on, would each start a trace of their own. */
    public Uni<Void> publishUntraced(ResourceEvent event) {
        return KafkaMessages.send(emitter, EventRecords.toRecord(event, EventSources.RESOURCE_SCHEDULER, null), null);
    }
}
