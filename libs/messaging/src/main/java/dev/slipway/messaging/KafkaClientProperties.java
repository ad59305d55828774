package dev.slipway.messaging;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The Kafka client settings Slipway's readers and writers share; callers add what is theirs. */
public final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    /** A consumer that sees committed records only and never commits offsets itself. */
    public static Properties committedReader(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    /**
     * A committed reader that reads partitions from an offset up to an end it knows (a replay, a rebuild on assignment), then
     * closes. With Kafka's default 500 ms fetch wait, the fetch the consumer sends ahead once it has reached the end holds the
     * connection until the broker gives up on it, and the next partition's first fetch or the close waits behind it: measured,
     * one cluster's replay took about 1 s, nearly all of it in those waits.
     */
    public static Properties boundedReader(String bootstrapServers) {
        Properties props = committedReader(bootstrapServers);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return props;
    }

    /** A producer that writes each record once per send (idempotent) and waits for every replica. */
    public static Properties idempotentProducer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return props;
    }
}
