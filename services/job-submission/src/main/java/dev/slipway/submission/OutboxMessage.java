package dev.slipway.submission;

import dev.slipway.contracts.EventTypes;
import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.json.EventCodec;
import dev.slipway.messaging.KafkaTracing;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An event written in the transaction of the change that caused it; the relay publishes it afterwards. */
@Entity
@Table(name = "outbox")
public class OutboxMessage {

    private static final EventCodec CODEC = new EventCodec();

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id", nullable = false, unique = true)
    public String eventId;

    @Column(nullable = false)
    public String topic;

    @Column(name = "message_key", nullable = false)
    public String messageKey;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    public String traceparent;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    public static OutboxMessage of(SlipwayEvent event, String traceparent, Instant now) {
        OutboxMessage message = new OutboxMessage();
        message.eventId = event.eventId();
        message.topic = EventTypes.topic(event.getClass());
        message.messageKey = event.clusterId();
        message.eventType = EventTypes.ceType(event.getClass());
        message.payload = CODEC.encodeToString(event);
        // The REST server span when the SDK made one, so the relay's span hangs under this service's span.
        message.traceparent = KafkaTracing.currentTraceparentOr(traceparent);
        message.createdAt = now;
        return message;
    }
}
