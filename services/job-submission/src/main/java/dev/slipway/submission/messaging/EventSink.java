package dev.slipway.submission.messaging;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Where the outbox relay publishes: returns once every record is acknowledged, in order, or throws. */
public interface EventSink {

    void publish(List<ProducerRecord<String, byte[]>> records) throws Exception;
}
