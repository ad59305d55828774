package dev.slipway.submission.messaging;

import dev.slipway.messaging.KafkaClientProperties;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes with an idempotent producer acknowledged by all replicas: records of one key keep their order
 * (sends are issued in order, at most 5 in flight), and a retried send is not duplicated by Kafka.
 */
@ApplicationScoped
public class KafkaEventSink implements EventSink {

    private static final long ACK_TIMEOUT_SECONDS = 30;

    private final KafkaProducer<String, byte[]> producer;

    public KafkaEventSink(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        Properties props = KafkaClientProperties.idempotentProducer(bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void publish(List<ProducerRecord<String, byte[]>> records) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            Future<RecordMetadata> ack = producer.send(record);
            if (ack.isDone()) {
                // Failed at once (no broker: Kafka 4 waits max.block.ms, then fails the future): end the batch here,
                // or every further record would wait max.block.ms too. The rows stay in the outbox for the next pass.
                ack.get();
            }
            acks.add(ack);
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
