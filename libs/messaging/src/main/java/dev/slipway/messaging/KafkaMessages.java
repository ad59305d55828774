package dev.slipway.messaging;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Records built by {@link EventRecords} as messages of an outgoing SmallRye Kafka channel. */
public final class KafkaMessages {

    private KafkaMessages() {
    }

    /**
     * The record's key, topic and headers (EventRecords' CloudEvents headers and the traceparent) go out unchanged: the
     * channel's own topic, CloudEvents and tracing step aside for what the record says.
     */
    public static Message<byte[]> of(ProducerRecord<String, byte[]> record) {
        return Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(record.topic()).withKey(record.key()).withHeaders(record.headers()).build());
    }
}
