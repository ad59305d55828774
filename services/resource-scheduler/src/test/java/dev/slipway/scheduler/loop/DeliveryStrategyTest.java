package dev.slipway.scheduler.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.Topics;
import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.messaging.TopicSetup;
import dev.slipway.scheduling.ClusterSnapshot;
import dev.slipway.scheduling.ClusterState;
import dev.slipway.testkit.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each delivery mode against a real broker: what it publishes becomes readable and its offsets committed when the mode says,
 * and the snapshot store reads back the newest snapshot of each key of its own group only.
 */
class DeliveryStrategyTest {

    private static final TopicPartition P0 = new TopicPartition(Topics.RESOURCES, 0);
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.onRandomPorts().start();
        TopicSetup.ensure(broker.bootstrapServers(), 2, (short) 1);
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    private static KafkaConsumer<String, byte[]> groupConsumer(String group) {
        Properties props = KafkaClientProperties.committedReader(broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.assign(List.of(P0));
        // Finds the group's coordinator, as the loop's join of its group does: the first commit must not race its lookup.
        consumer.committed(Set.of(P0));
        return consumer;
    }

    private static ProducerRecord<String, byte[]> decision(String key) {
        return new ProducerRecord<>(Topics.DECISIONS, key, key.getBytes(StandardCharsets.UTF_8));
    }

    /** Every committed record of the decisions topic with the given key. */
    private static List<String> committedDecisions(String key) {
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(KafkaClientProperties.committedReader(broker.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = reader.partitionsFor(Topics.DECISIONS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions);
            List<String> found = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(100))) {
                    if (key.equals(record.key())) {
                        found.add(new String(record.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            return found;
        }
    }

    private static long committedOffset(KafkaConsumer<String, byte[]> consumer) {
        OffsetAndMetadata committed = consumer.committed(Set.of(P0)).get(P0);
        return committed == null ? -1 : committed.offset();
    }

    /** Polls as the loop does (an asynchronous commit completes inside a poll) until the group's offset is {@code offset}. */
    private static void awaitCommitted(KafkaConsumer<String, byte[]> consumer, long offset) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            consumer.poll(Duration.ofMillis(10));
            assertThat(committedOffset(consumer)).isEqualTo(offset);
        });
    }

    @Test
    void atLeastOncePublishesAtOnceAndCommitsWhatItPublishedWhenItHandsThePartitionOver() {
        String group = "alo-" + UUID.randomUUID();
        String key = "alo-" + UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> consumer = groupConsumer(group);
                DeliveryStrategy delivery = new AtLeastOnceDelivery(broker.bootstrapServers(), "t", consumer, new SnapshotStore(group),
                        Duration.ofHours(1))) {
            delivery.start();
            assertThat(delivery.gatherFor()).isZero();

            assertThat(delivery.publish(List.of(decision(key)), Map.of(P0, new OffsetAndMetadata(5)))).isTrue();
            assertThat(committedDecisions(key)).as("acknowledged, so readable at once").containsExactly(key);
            // Not yet committed (the background commit waits for its interval, here an hour) ...
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> {
                consumer.poll(Duration.ofMillis(10));
                return committedOffset(consumer) == -1;
            });
            // ... but at the hand-over, at once: the next owner re-publishes nothing.
            delivery.handOver(List.of(P0));
            assertThat(committedOffset(consumer)).isEqualTo(5);

            // A batch that published nothing is committed the same way.
            assertThat(delivery.commitOnly(Map.of(P0, new OffsetAndMetadata(9)))).isTrue();
            delivery.handOver(List.of(P0));
            assertThat(committedOffset(consumer)).isEqualTo(9);
        }
    }

    @Test
    void atLeastOnceCommitsInTheBackgroundWhileThePartitionStaysOwned() {
        String group = "alo-bg-" + UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> consumer = groupConsumer(group);
                DeliveryStrategy delivery = new AtLeastOnceDelivery(broker.bootstrapServers(), "t", consumer, new SnapshotStore(group),
                        Duration.ZERO)) {
            delivery.start();
            assertThat(delivery.publish(List.of(decision("alo-bg-" + UUID.randomUUID())), Map.of(P0, new OffsetAndMetadata(3))))
                    .isTrue();
            awaitCommitted(consumer, 3);
        }
    }

    @Test
    void exactlyOnceCommitsTheOutputAndTheOffsetsInOneTransaction() {
        String group = "eo-" + UUID.randomUUID();
        String key = "eo-" + UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> consumer = groupConsumer(group);
                DeliveryStrategy delivery = DeliveryStrategy.of(Delivery.EXACTLY_ONCE, broker.bootstrapServers(),
                        "t-" + UUID.randomUUID(), consumer, new SnapshotStore(group))) {
            delivery.start();
            assertThat(delivery.gatherFor()).isPositive();
            PartitionStates.Snapshot snapshot = new PartitionStates.Snapshot(
                    List.of(new SnapshotRecord(0, 7, ClusterSnapshot.of(new ClusterState("alpha")))), new SnapshotRecord(0, 7, null));
            List<ProducerRecord<String, byte[]>> output = new ArrayList<>(List.of(decision(key)));
            delivery.snapshot(snapshot, output);
            assertThat(output).as("snapshots go into the batch's transaction").hasSize(3);

            assertThat(delivery.publish(output, Map.of(P0, new OffsetAndMetadata(7)))).isTrue();

            // Readable once the coordinator wrote the transaction's markers.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(committedDecisions(key)).containsExactly(key));
            assertThat(committedOffset(consumer)).isEqualTo(7);
            try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(
                    KafkaClientProperties.committedReader(broker.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
                Map<String, SnapshotRecord> latest = new SnapshotStore(group).readLatest(reader);
                assertThat(latest).containsOnlyKeys("alpha", SnapshotRecord.markerKey(0));
                assertThat(latest.get(SnapshotRecord.markerKey(0)).offset()).isEqualTo(7);
            }
        }
    }

    @Test
    void theSnapshotStoreReadsTheNewestOfEachKeyOfItsGroupAndSkipsWhatItCannotRead() {
        String group = "store-" + UUID.randomUUID();
        SnapshotStore store = new SnapshotStore(group);
        SnapshotStore otherGroup = new SnapshotStore("other-" + group);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientProperties.idempotentProducer(
                broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(store.record(new SnapshotRecord(1, 10, ClusterSnapshot.of(new ClusterState("alpha")))));
            producer.send(store.record(new SnapshotRecord(1, 20, ClusterSnapshot.of(new ClusterState("alpha")))));
            producer.send(store.record(new SnapshotRecord(1, 20, null)));
            producer.send(otherGroup.record(new SnapshotRecord(1, 30, ClusterSnapshot.of(new ClusterState("beta")))));
            producer.send(new ProducerRecord<>(Topics.SCHEDULER_SNAPSHOTS, group + "|gamma", "{broken".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(KafkaClientProperties.committedReader(broker.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            Map<String, SnapshotRecord> latest = store.readLatest(reader);

            assertThat(latest).containsOnlyKeys("alpha", SnapshotRecord.markerKey(1));
            assertThat(latest.get("alpha").offset()).isEqualTo(20);
        }
    }
}
