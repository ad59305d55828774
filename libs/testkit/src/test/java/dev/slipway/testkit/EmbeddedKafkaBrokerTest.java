package dev.slipway.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.json.EventCodec;
import dev.slipway.contracts.resources.ClockTicked;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaBrokerTest {

    @Test
    void roundTripsAnEventWithCloudEventsHeaders(KafkaCompanion companion) {
        String topic = Topics.RESOURCES + "-" + UUID.randomUUID();
        ClockTicked tick = new ClockTicked("tick-1", "c-1", Instant.parse("2026-11-25T08:00:00Z"));
        EventCodec codec = new EventCodec();
        List<Header> headers = new ArrayList<>();
        CloudEventHeaders.of(tick, EventSources.RESOURCE_SCHEDULER)
                .forEach((name, value) -> headers.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));

        companion.produceStrings()
                .fromRecords(new ProducerRecord<>(topic, null, tick.clusterId(), codec.encodeToString(tick), headers))
                .awaitCompletion();

        ConsumerTask<String, String> consumed = companion.consumeStrings().fromTopics(topic, 1).awaitCompletion();
        ConsumerRecord<String, String> record = consumed.getFirstRecord();
        assertThat(record.key()).isEqualTo("c-1");
        assertThat(header(record, CloudEventHeaders.TYPE)).isEqualTo("dev.slipway.resources.ClockTicked");
        assertThat(header(record, CloudEventHeaders.ID)).isEqualTo("tick-1");
        assertThat(header(record, CloudEventHeaders.SOURCE)).isEqualTo(EventSources.RESOURCE_SCHEDULER);
        assertThat(header(record, CloudEventHeaders.TIME)).isEqualTo("2026-11-25T08:00:00Z");
        assertThat(codec.decodeOrThrow(record.value())).isEqualTo(tick);
    }

    @Test
    void aReadCommittedConsumerSeesCommittedTransactionsOnly(KafkaEndpoint kafka) {
        String topic = "tx-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "c-1", "aborted-1"));
            producer.send(new ProducerRecord<>(topic, "c-1", "aborted-2"));
            producer.flush(); // the aborted records reach the broker, so the abort is the broker's doing
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "c-1", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "c-1", "committed-2"));
            producer.commitTransaction();
        }

        assertThat(readAll(kafka, topic, "read_committed", 2)).containsExactly("committed-1", "committed-2");
        // Uncommitted reads see the aborted records too: the abort happened on the broker, not in the client.
        assertThat(readAll(kafka, topic, "read_uncommitted", 4))
                .containsExactly("aborted-1", "aborted-2", "committed-1", "committed-2");
    }

    @Test
    void keepsItsDataAcrossARestart() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onRandomPorts().start()) {
            KafkaEndpoint endpoint = broker.endpoint();
            try (KafkaCompanion companion = new KafkaCompanion(endpoint.bootstrapServers())) {
                companion.produceStrings()
                        .fromRecords(new ProducerRecord<>("durable", "c-1", "before-restart"))
                        .awaitCompletion();
            }

            broker.stop();
            assertThat(broker.running()).isFalse();
            broker.start();

            assertThat(readAll(endpoint, "durable", "read_committed", 1)).containsExactly("before-restart");
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(KafkaEndpoint kafka) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "testkit-" + UUID.randomUUID());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** Reads from the beginning until {@code expected} values arrived or 30 s passed. */
    private static List<String> readAll(KafkaEndpoint kafka, String topic, String isolation, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
            // One more poll: a record beyond the expected count would show a leak of aborted data.
            consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
        }
        return values;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
