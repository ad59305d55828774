package dev.slipway.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Every partition of some topics, read without a consumer group on a thread of its own, from their start or their end, each
 * record handed to {@code handler}: for readers that each instance needs whole (a read view, a table of revoked tokens, a
 * relay to dashboards) and that own no offsets. It knows when it has read up to where the topics ended when it started
 * ({@link #caughtUp}). A handler that throws stops the tail, which {@link #running} then reports.
 */
public final class TopicTail implements AutoCloseable {

    /** Where reading starts. */
    public enum From {
        /** Everything the topics hold. */
        BEGINNING,
        /** Only what is published after {@link #start} returns. */
        END
    }

    private static final Logger LOG = Logger.getLogger(TopicTail.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final From from;
    private final Consumer<ConsumerRecord<String, byte[]>> handler;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private Map<TopicPartition, Long> endAtStart = Map.of();

    /** {@code name} names the thread and the log lines. */
    public TopicTail(String bootstrapServers, String name, List<String> topics, From from,
            Consumer<ConsumerRecord<String, byte[]>> handler) {
        this.consumer = new KafkaConsumer<>(KafkaClientProperties.committedReader(bootstrapServers), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.topics = List.copyOf(topics);
        this.from = from;
        this.handler = handler;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Assigns every partition and starts reading; the topics must exist ({@link TopicSetup#ensure}). */
    public TopicTail start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topics " + topics + " do not exist: create Slipway's topics first");
        }
        consumer.assign(partitions);
        if (from == From.BEGINNING) {
            consumer.seekToBeginning(partitions);
            endAtStart = consumer.endOffsets(partitions);
        } else {
            consumer.seekToEnd(partitions);
            // Resolved now, so what is published after start() returns is read.
            partitions.forEach(consumer::position);
        }
        thread.start();
        return this;
    }

    /** Reading: false once closed or stopped on an error. */
    public boolean running() {
        return thread.isAlive();
    }

    /** True once it has read up to where the topics ended at {@link #start} (at once when reading from the end). */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** True once caught up, false when {@code timeout} passed first. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    handler.accept(record);
                }
                if (!caughtUp() && endAtStart.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s stopped: %s", thread.getName(), e.getMessage());
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
