package dev.slipway.logagent;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.contracts.telemetry.TelemetryEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Everything on slipway.logs.v1 under one cluster id, read from the beginning; poll inside an await. */
final class LogsOnTopic implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String clusterId;
    private final List<LogRecord> records = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();
    private boolean assigned;

    LogsOnTopic(String bootstrapServers, String clusterId) {
        Properties p = KafkaClientProperties.committedReader(bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.clusterId = clusterId;
    }

    /** Reads what is there now; returns every record of the cluster so far, in topic order. */
    synchronized List<LogRecord> poll() {
        if (!assigned) {
            var partitions = consumer.partitionsFor(Topics.LOGS, Duration.ofSeconds(5));
            if (partitions == null || partitions.isEmpty()) {
                return List.copyOf(records);
            }
            List<TopicPartition> all = partitions.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            assigned = true;
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (!clusterId.equals(record.key())) {
                continue;
            }
            DecodeResult<TelemetryEvent> decoded = EventRecords.decode(record, TelemetryEvent.class);
            if (decoded instanceof DecodeResult.Decoded<TelemetryEvent> d && d.event() instanceof LogRecord log) {
                records.add(log);
            } else {
                rejected.add(decoded.toString());
            }
        }
        if (!rejected.isEmpty()) {
            throw new AssertionError("undecodable records: " + rejected);
        }
        return List.copyOf(records);
    }

    /** One record per event id (the first), in topic order: what an idempotent consumer keeps. */
    synchronized List<LogRecord> distinct() {
        Map<String, LogRecord> byId = new LinkedHashMap<>();
        poll().forEach(r -> byId.putIfAbsent(r.eventId(), r));
        return List.copyOf(byId.values());
    }

    /** The message of every distinct record, in topic order. */
    List<String> messages() {
        return distinct().stream().map(LogRecord::message).collect(Collectors.toList());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
