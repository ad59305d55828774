package dev.slipway.loadtests;

import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.messaging.TopicSetup;
import dev.slipway.scheduling.replay.Percentiles;
import dev.slipway.testkit.EmbeddedKafkaBroker;
import dev.slipway.testkit.PropertyOverrides;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The broker's own share of the scheduler's latency: one produce-to-consume pass on the embedded broker with the
 * clients configured as the scheduler's (idempotent, acks=all, no linger; a read_committed reader), at a fixed rate.
 * The decision latency of {@link DecisionLatencyBenchmark} holds two such passes (request event in, decision out).
 *
 * <p>Arguments: rates ("500,5000"), seconds per rate (10).
 */
public final class BrokerRoundTripBenchmark {

    private static final String TOPIC = "round-trip";

    private BrokerRoundTripBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String[] rates = (args.length > 0 ? args[0] : "500,5000").split(",");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onRandomPorts().start()) {
            String bootstrap = broker.bootstrapServers();
            TopicSetup.ensure(bootstrap, 4, (short) 1);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                // The broker stamps each record as it appends it: the pass splits into produce->append and append->read.
                admin.createTopics(List.of(new NewTopic(TOPIC, 4, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime"))))
                        .all().get(30, TimeUnit.SECONDS);
            }
            for (String rate : rates) {
                measure(bootstrap, Integer.parseInt(rate.trim()), 2, false);
                measure(bootstrap, Integer.parseInt(rate.trim()), seconds, true);
            }
        }
    }

    private static void measure(String bootstrap, int rate, int seconds, boolean print) throws Exception {
        int total = rate * seconds;
        long[] latencies = new long[total];
        long[] appendToRead = new long[total];
        CountDownLatch received = new CountDownLatch(total);
        AtomicBoolean stop = new AtomicBoolean();
        Properties readerProps = KafkaClientProperties.committedReader(bootstrap);
        readerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "round-trip-" + UUID.randomUUID());
        readerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // -Dconsumer.<key> and -Dproducer.<key> override the clients' settings, to try variants.
        PropertyOverrides.apply("consumer.", readerProps);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(readerProps, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(TOPIC));
        while (consumer.assignment().size() < 4) {
            consumer.poll(Duration.ofMillis(50));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        Thread reader = new Thread(() -> {
            try (consumer) {
                while (received.getCount() > 0 && !stop.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        ByteBuffer value = ByteBuffer.wrap(record.value());
                        int index = value.getInt();
                        latencies[index] = System.nanoTime() - value.getLong();
                        appendToRead[index] = System.currentTimeMillis() - record.timestamp();
                        received.countDown();
                    }
                }
            }
        }, "round-trip-reader");
        reader.start();
        Properties producerProps = KafkaClientProperties.idempotentProducer(bootstrap);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        PropertyOverrides.apply("producer.", producerProps);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            FixedRate pace = new FixedRate(rate);
            for (int i = 0; i < total; i++) {
                pace.awaitSlot(i);
                byte[] value = ByteBuffer.allocate(12).putInt(i).putLong(System.nanoTime()).array();
                producer.send(new ProducerRecord<>(TOPIC, "cluster-" + (i % 1000), value));
            }
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            boolean complete = received.await(60, TimeUnit.SECONDS);
            stop.set(true);
            reader.join();
            if (print) {
                long[] appendedToRead = Arrays.stream(appendToRead).sorted().toArray();
                long[] sorted = Arrays.stream(latencies).filter(l -> l > 0).sorted().toArray();
                System.out.printf("broker round trip at %,d/s: %,d sent in %.1f s, %,d read%s; produce->readable p50 %.2f ms, "
                                + "p99 %.2f ms, max %.2f ms; of it appended->read (millisecond grain) p50 %d ms, p99 %d ms%n",
                        rate, total, sendSeconds, sorted.length, complete ? "" : " (incomplete)",
                        Percentiles.of(sorted, 50) / 1e6, Percentiles.of(sorted, 99) / 1e6,
                        sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6,
                        Percentiles.of(appendedToRead, 50), Percentiles.of(appendedToRead, 99));
            }
        }
    }
}
