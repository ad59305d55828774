package dev.slipway.messaging;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.EventTypes;
import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.json.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Events as Kafka records: the key is the cluster id, the value the event's JSON, the headers
 * CloudEvents binary mode plus the W3C trace context when there is one.
 */
public final class EventRecords {

    private static final EventCodec CODEC = new EventCodec();

    private EventRecords() {
    }

    /** The record for {@code event} on its own topic. {@code traceparent} may be null. */
    public static ProducerRecord<String, byte[]> toRecord(SlipwayEvent event, String source, String traceparent) {
        List<Header> headers = new ArrayList<>(8);
        CloudEventHeaders.of(event, source).forEach((name, value) -> headers.add(header(name, value)));
        if (traceparent != null) {
            headers.add(header(CloudEventHeaders.TRACEPARENT, traceparent));
        }
        return new ProducerRecord<>(EventTypes.topic(event.getClass()), null, event.clusterId(), CODEC.encode(event), headers);
    }

    /** Decodes a record's value as an event of {@code family}; never throws. */
    public static <T extends SlipwayEvent> DecodeResult<T> decode(ConsumerRecord<String, byte[]> record, Class<T> family) {
        return CODEC.decode(record.value(), text(record.headers(), CloudEventHeaders.TYPE), family);
    }

    /**
     * The same record on the dead-letter topic: key, value and headers unchanged, plus why it could
     * not be processed and where it came from. Nothing is dropped.
     */
    public static ProducerRecord<String, byte[]> deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        List<Header> headers = new ArrayList<>();
        record.headers().forEach(headers::add);
        headers.addAll(deadLetterHeaders(record, reason));
        return new ProducerRecord<>(Topics.DEAD_LETTER, null, record.key(), record.value(), headers);
    }

    /** The headers a dead letter adds to its record's own: why it could not be processed, and where it came from. */
    public static List<Header> deadLetterHeaders(ConsumerRecord<?, ?> record, String reason) {
        return List.of(header(CloudEventHeaders.DEAD_LETTER_REASON, reason),
                header(CloudEventHeaders.DEAD_LETTER_ORIGIN, record.topic() + "/" + record.partition() + "/" + record.offset()));
    }

    /** The last value of a header as text, or null. */
    public static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
