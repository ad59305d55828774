package dev.slipway.indexer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.jobs.JobEvent;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.ClockTicked;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Relays jobs, decisions and pod facts to dashboards as they happen. It reads every partition from
 * the end without a group and commits nothing: it owns no state, and the services that consume these
 * topics for real handle their bad records. Clock ticks are left out (they are for the scheduler).
 */
final class ClusterEventRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterEventRelay.class);
    private static final Map<String, Class<? extends SlipwayEvent>> FAMILIES =
            Map.of(Topics.JOBS, JobEvent.class, Topics.DECISIONS, Decision.class, Topics.RESOURCES, ResourceEvent.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final BroadcastProcessor<ClusterEvent> events;
    private final ObjectMapper json;
    private final Thread thread;
    private volatile boolean running = true;

    ClusterEventRelay(String bootstrapServers, BroadcastProcessor<ClusterEvent> events, ObjectMapper json) {
        this.consumer = new KafkaConsumer<>(KafkaClientProperties.committedReader(bootstrapServers), new StringDeserializer(),
                new ByteArrayDeserializer());
        this.events = events;
        this.json = json;
        this.thread = new Thread(this::run, "cluster-event-relay");
    }

    ClusterEventRelay start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : FAMILIES.keySet()) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // Resolve the end positions now, so what is published after start() returns is relayed.
        partitions.forEach(consumer::position);
        thread.start();
        return this;
    }

    boolean running() {
        return thread.isAlive();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    relay(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.errorf(e, "cluster event relay stopped: %s", e.getMessage());
        } finally {
            consumer.close();
        }
    }

    private void relay(ConsumerRecord<String, byte[]> record) {
        DecodeResult<? extends SlipwayEvent> decoded = EventRecords.decode(record, FAMILIES.get(record.topic()));
        if (!(decoded instanceof DecodeResult.Decoded<? extends SlipwayEvent> ok) || ok.event() instanceof ClockTicked
                || !ok.event().clusterId().equals(record.key())) {
            return;
        }
        SlipwayEvent event = ok.event();
        try {
            JsonNode payload = json.readTree(record.value());
            events.onNext(new ClusterEvent(event.clusterId(), record.topic(), event.getClass().getSimpleName(), event.eventId(),
                    event.occurredAt(), payload));
        } catch (IOException e) {
            // It decoded, so it is JSON; nothing to relay if it is not.
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
