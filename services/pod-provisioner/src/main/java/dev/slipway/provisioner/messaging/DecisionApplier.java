package dev.slipway.provisioner.messaging;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.messaging.KafkaTracing;
import dev.slipway.provisioning.PodBackend;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Applies the scheduler's decisions in a consumer group: each instance owns the clusters of its
 * partitions. Offsets are committed after the batch is applied (at least once); applying is
 * idempotent (deterministic pod names, deletes of missing pods are no-ops, deleted pods are never
 * recreated), so a redelivered decision changes nothing. A record that cannot be read goes to the
 * dead-letter topic with the reason.
 */
public final class DecisionApplier implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DecisionApplier.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final PodBackend backend;
    private final KafkaTracing tracing;
    private final PodTraces traces;
    private final Thread thread;
    private volatile boolean running = true;

    public DecisionApplier(String bootstrapServers, String consumerGroup, PodBackend backend, KafkaTracing tracing,
            PodTraces traces) {
        this.tracing = tracing;
        this.traces = traces;
        Properties props = KafkaClientProperties.committedReader(bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.deadLetters = new KafkaProducer<>(KafkaClientProperties.idempotentProducer(bootstrapServers), new StringSerializer(),
                new ByteArraySerializer());
        this.backend = backend;
        this.thread = new Thread(this::run, "decision-applier");
    }

    public DecisionApplier start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.DECISIONS), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    consumer.commitSync();
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.infof("Applying decisions of partitions %s", partitions);
                }
            });
            while (running) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    apply(record);
                }
                if (!records.isEmpty()) {
                    deadLetters.flush();
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("The decision applier stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try (KafkaTracing.Processing processing = tracing.process(record, "slipway.decisions.v1 process")) {
            apply(record, processing);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record, KafkaTracing.Processing processing) {
        DecodeResult<Decision> decoded = EventRecords.decode(record, Decision.class);
        if (decoded instanceof DecodeResult.Decoded<Decision> ok) {
            if (ok.event() instanceof ProvisionPod provision) {
                traced(processing, "create pod", provision.clusterId(), provision.podName(), () -> backend.provision(provision));
            } else if (ok.event() instanceof DeletePod delete) {
                traced(processing, "delete pod", delete.clusterId(), delete.podName(), () -> backend.delete(delete));
            }
        } else if (decoded instanceof DecodeResult.Rejected<Decision> rejected) {
            LOG.warnf("Dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), rejected.describe());
            deadLetters.send(EventRecords.deadLetter(record, rejected.describe()));
        }
    }

    /** Runs {@code work} in a child span whose trace the pod's next facts continue (they are observed on other threads). */
    private void traced(KafkaTracing.Processing processing, String operation, String clusterId, String podName, Runnable work) {
        try (KafkaTracing.Processing step = tracing.step(processing.traceparent(), operation)) {
            traces.remember(clusterId, podName, step.traceparent());
            work.run();
        } catch (RuntimeException e) {
            processing.fail(e);
            throw e;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close(Duration.ofSeconds(5));
    }
}
