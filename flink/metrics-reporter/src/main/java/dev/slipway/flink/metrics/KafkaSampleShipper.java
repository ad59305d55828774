package dev.slipway.flink.metrics;

import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.telemetry.MetricSample;
import dev.slipway.messaging.EventRecords;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships samples to Kafka from a thread of its own, so Flink's reporter thread only ever puts samples
 * into a bounded queue. When the queue is full or Kafka is down, samples are dropped and counted:
 * metrics are worth less than a Flink process that stalls or runs out of memory.
 */
final class KafkaSampleShipper implements SampleShipper {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSampleShipper.class);
    private static final int BATCH = 500;
    /** After the producer could not even be created (say, an unresolvable address), wait before trying again. */
    private static final Duration RETRY_CREATE = Duration.ofSeconds(10);
    private static final int WARM_UP_ATTEMPTS = 5;

    private final ReporterSettings settings;
    private final BlockingQueue<MetricSample> queue;
    private final DropLog drops;
    private final Thread sender;
    private volatile boolean running = true;
    /** Created by the sender thread on its first batch; read by close() too. */
    private volatile Producer<String, byte[]> producer;
    private long nextCreateAttempt = System.nanoTime();

    KafkaSampleShipper(ReporterSettings settings, Clock clock) {
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.bufferSize());
        this.drops = new DropLog(clock, "Kafka at " + settings.bootstrapServers());
        this.sender = new Thread(this::sendLoop, "slipway-metrics-sender");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void offer(MetricSample sample) {
        if (!queue.offer(sample)) {
            drops.dropped(1, "the buffer of " + settings.bufferSize() + " samples is full");
        }
    }

    @Override
    public long dropped() {
        return drops.total();
    }

    private void sendLoop() {
        List<MetricSample> batch = new ArrayList<>(BATCH);
        while (running) {
            try {
                MetricSample first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                send(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                drops.dropped(batch.size(), e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    private void send(List<MetricSample> batch) {
        Producer<String, byte[]> kafka = producer();
        if (kafka == null) {
            drops.dropped(batch.size(), "no Kafka producer (see the earlier warning)");
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Future<RecordMetadata> sent = kafka.send(EventRecords.toRecord(batch.get(i), EventSources.METRICS_REPORTER, null),
                    (metadata, error) -> {
                        if (error != null) {
                            drops.dropped(1, error.toString());
                        }
                    });
            if (failedAtOnce(sent)) {
                // No metadata within max.block.ms: the broker is unreachable, and every other send would wait as long.
                drops.dropped(batch.size() - i - 1, "Kafka unreachable");
                return;
            }
        }
    }

    private static boolean failedAtOnce(Future<RecordMetadata> sent) {
        if (!sent.isDone()) {
            return false;
        }
        try {
            sent.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private Producer<String, byte[]> producer() {
        if (producer == null && System.nanoTime() - nextCreateAttempt >= 0) {
            try {
                Producer<String, byte[]> created = new KafkaProducer<>(producerProperties(settings), new StringSerializer(),
                        new ByteArraySerializer());
                warmUp(created);
                producer = created;
            } catch (RuntimeException e) {
                nextCreateAttempt = System.nanoTime() + RETRY_CREATE.toNanos();
                LOG.warn("Cannot create the Kafka producer for metric samples ({}); trying again in {}", e.getMessage(), RETRY_CREATE);
            }
        }
        return producer;
    }

    /**
     * Fetches the topic's metadata before the first batch: the first connection can take longer than
     * max.block.ms, and the whole first batch would be dropped. Only this thread waits, a few times max.block.ms at most.
     */
    private static void warmUp(Producer<String, byte[]> kafka) {
        for (int attempt = 1; attempt <= WARM_UP_ATTEMPTS; attempt++) {
            try {
                kafka.partitionsFor(Topics.METRICS);
                return;
            } catch (KafkaException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                LOG.debug("No metadata of {} yet (attempt {}): {}", Topics.METRICS, attempt, e.toString());
            }
        }
    }

    static Properties producerProperties(ReporterSettings settings) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "slipway-metrics-" + (settings.pod() == null ? settings.clusterId() : settings.pod()));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(settings.maxBlockMs()));
        // Samples are many and each is replaced by the next report: one acknowledgement, no idempotence handshake.
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.RETRIES_CONFIG, "2");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "100");
        // Little memory inside a TaskManager; a full buffer fails sends (counted) instead of growing.
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(4 * 1024 * 1024));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        // A down broker means fewer reconnect attempts (and fewer warnings in the Flink log).
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "10000");
        return props;
    }

    @Override
    public void close() {
        running = false;
        sender.interrupt();
        try {
            sender.join(Duration.ofSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
        if (drops.total() > 0) {
            LOG.info("Metric samples dropped while this process ran: {}", drops.total());
        }
    }
}
