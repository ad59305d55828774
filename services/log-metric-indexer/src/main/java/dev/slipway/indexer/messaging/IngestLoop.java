package dev.slipway.indexer.messaging;

import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads one topic in the consumer group and feeds a sink. Offsets are committed only after the sink's
 * commit and the dead letters' acknowledgements, and before partitions are handed over: a crash
 * redelivers at most the uncommitted tail, which the sinks apply idempotently (by event id).
 */
final class IngestLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IngestLoop.class);

    private final String topic;
    private final IngestSink sink;
    private final Duration commitInterval;
    private final Function<ProducerRecord<String, byte[]>, CompletableFuture<Void>> deadLetters;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final List<CompletableFuture<Void>> deadLettersInFlight = new ArrayList<>();
    private volatile boolean running = true;
    private volatile boolean failed;
    private volatile long applied;
    private long lastCommit = System.nanoTime();

    IngestLoop(String bootstrapServers, String group, String topic, IngestSink sink, Duration commitInterval,
            Function<ProducerRecord<String, byte[]>, CompletableFuture<Void>> deadLetters) {
        this.topic = topic;
        this.sink = sink;
        this.commitInterval = commitInterval;
        this.deadLetters = deadLetters;
        Properties props = KafkaClientProperties.committedReader(bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024));
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "ingest-" + topic);
    }

    IngestLoop start() {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                commitOrFail();
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // Reading resumes at the committed offsets; nothing to rebuild.
            }
        });
        thread.start();
        return this;
    }

    /** False once the loop stopped on an error it cannot get past (the index cannot be written). */
    boolean healthy() {
        return !failed && (thread.isAlive() || !running);
    }

    long applied() {
        return applied;
    }

    private void run() {
        try {
            while (running) {
                List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                String[] reasons = sink.applyAll(records);
                for (int i = 0; i < reasons.length; i++) {
                    ConsumerRecord<String, byte[]> record = records.get(i);
                    if (reasons[i] != null) {
                        LOG.warnf("%s/%d/%d to the dead-letter topic: %s", record.topic(), record.partition(), record.offset(),
                                reasons[i]);
                        deadLettersInFlight.add(deadLetters.apply(EventRecords.deadLetter(record, reasons[i])));
                    }
                    pending.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                }
                applied += records.size();
                if (System.nanoTime() - lastCommit >= commitInterval.toNanos()) {
                    commitOrFail();
                }
                sink.maintain();
            }
        } catch (WakeupException e) {
            // closing
        } catch (IOException | RuntimeException e) {
            failed = true;
            LOG.errorf(e, "ingest of %s stopped: %s", topic, e.getMessage());
        } finally {
            if (!failed) {
                commitOrFail();
            }
            consumer.close();
        }
    }

    private void commitOrFail() {
        try {
            commit();
        } catch (IOException e) {
            throw new IllegalStateException("cannot commit the index of " + topic + ": " + e.getMessage(), e);
        }
    }

    private void commit() throws IOException {
        lastCommit = System.nanoTime();
        if (pending.isEmpty()) {
            return;
        }
        sink.commit();
        for (CompletableFuture<Void> sent : deadLettersInFlight) {
            try {
                sent.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("dead letter not written: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing dead letters", e);
            }
        }
        deadLettersInFlight.clear();
        consumer.commitSync(pending);
        pending.clear();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
