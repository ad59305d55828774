package dev.slipway.logagent.ship;

import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.logagent.config.AgentConfig;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Ships log records to {@code slipway.logs.v1} as CloudEvents-headed records keyed by cluster id, with
 * an idempotent producer that waits for every replica. One batch at a time: the agent reads nothing
 * more until this batch is acknowledged, which is its back-pressure. The producer outlives failures: it
 * reconnects by itself, and the agent sends the failed batch again on it.
 */
public final class KafkaLogShipper implements LogShipper {

    private final Properties properties;
    private final long sendTimeoutMillis;
    private Producer<String, byte[]> producer;

    public KafkaLogShipper(AgentConfig config) {
        this.sendTimeoutMillis = Math.max(1000, config.sendTimeout().toMillis());
        long linger = 5;
        Properties p = KafkaClientProperties.idempotentProducer(config.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "slipway-log-agent");
        p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(sendTimeoutMillis));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(100, (sendTimeoutMillis - linger) / 2)));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(sendTimeoutMillis));
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.putAll(config.kafka());
        this.properties = p;
    }

    @Override
    public void ship(List<LogRecord> records) throws Exception {
        if (producer == null) {
            producer = new KafkaProducer<>(properties);
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (LogRecord record : records) {
            Future<RecordMetadata> ack = producer.send(EventRecords.toRecord(record, EventSources.LOG_AGENT, null));
            if (ack.isDone()) {
                // Failed at once (no metadata within max.block.ms): give up on this attempt instead of
                // waiting that long again for every further record of the batch.
                ack.get();
            }
            acks.add(ack);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis + 5000);
        for (Future<RecordMetadata> ack : acks) {
            ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
