package dev.slipway.submission.messaging;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.messaging.KafkaTracing;
import dev.slipway.submission.config.SubmissionConfig;
import dev.slipway.submission.service.ClusterStatusService;
import dev.slipway.submission.service.OnVertxContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Follows pod facts on {@code slipway.resources.v1} and health decisions on {@code slipway.decisions.v1}
 * into the clusters' status, in a consumer group (instances share the partitions). Offsets are committed
 * after a batch is applied; a batch that fails is read again from its first record (facts are idempotent).
 */
@ApplicationScoped
public class StatusFollower {

    private static final Logger LOG = Logger.getLogger(StatusFollower.class);
    /** The ce_type names worth decoding; ticks, requests and provisioning decisions are skipped by header. */
    private static final Set<String> FOLLOWED = Set.of("dev.slipway.resources.PodCreated", "dev.slipway.resources.PodReady",
            "dev.slipway.resources.PodFailed", "dev.slipway.resources.PodDeleted", "dev.slipway.decisions.ClusterHealthChanged");
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final String bootstrapServers;
    private final String group;
    private final ClusterStatusService status;
    private final KafkaTracing tracing;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public StatusFollower(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, SubmissionConfig config,
            ClusterStatusService status, KafkaTracing tracing) {
        this.bootstrapServers = bootstrapServers;
        this.group = config.consumerGroup();
        this.status = status;
        this.tracing = tracing;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        Properties props = KafkaClientProperties.committedReader(bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        running = true;
        thread = new Thread(this::run, "status-follower");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> kafka = consumer) {
            kafka.subscribe(List.of(Topics.RESOURCES, Topics.DECISIONS));
            while (running) {
                ConsumerRecords<String, byte[]> records = kafka.poll(Duration.ofMillis(500));
                try {
                    for (ConsumerRecord<String, byte[]> record : records) {
                        handle(record);
                    }
                    if (!records.isEmpty()) {
                        kafka.commitSync();
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warnf("cluster status: a batch failed and is read again: %s", e.toString());
                    for (TopicPartition partition : records.partitions()) {
                        kafka.seek(partition, records.records(partition).get(0).offset());
                    }
                    pause();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.errorf(e, "cluster status follower stopped");
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        String type = EventRecords.text(record.headers(), CloudEventHeaders.TYPE);
        if (type == null || !FOLLOWED.contains(type)) {
            return;
        }
        DecodeResult<SlipwayEvent> decoded = EventRecords.decode(record, SlipwayEvent.class);
        if (decoded instanceof DecodeResult.Decoded<SlipwayEvent> event && ClusterStatusService.follows(event.event())) {
            // The fact's trace (a pod created for a request, a health change) ends in the status it sets.
            try (KafkaTracing.Processing processing = tracing.process(record, record.topic() + " process")) {
                try {
                    OnVertxContext.await(() -> status.apply(event.event()));
                } catch (RuntimeException e) {
                    processing.fail(e);
                    throw e;
                }
            }
        }
        // Rejected records are the producers' to dead-letter; this reader only skips them.
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
