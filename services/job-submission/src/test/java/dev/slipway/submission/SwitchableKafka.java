package dev.slipway.submission;

import dev.slipway.submission.messaging.EventSink;
import dev.slipway.submission.messaging.KafkaEventSink;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The relay's Kafka in tests: the real one, unless a test takes it down to simulate a failure between
 * the database commit and the publish.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class SwitchableKafka implements EventSink {

    private final KafkaEventSink kafka;
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private volatile boolean down;

    public SwitchableKafka(KafkaEventSink kafka) {
        this.kafka = kafka;
    }

    @Override
    public void publish(List<ProducerRecord<String, byte[]>> records) throws Exception {
        if (down) {
            failedAttempts.incrementAndGet();
            throw new IllegalStateException("simulated: Kafka unreachable after the commit");
        }
        kafka.publish(records);
    }

    public void down(boolean down) {
        this.down = down;
    }

    public int failedAttempts() {
        return failedAttempts.get();
    }
}
