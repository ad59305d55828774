package dev.slipway.indexer.messaging;

import dev.slipway.contracts.telemetry.MetricSample;
import dev.slipway.indexer.metrics.MetricStore;
import java.io.IOException;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Metric samples into the series store; rollups on the same thread, so they never race a write. */
final class MetricSink implements IngestSink {

    private final MetricStore store;
    private final long compactionNanos;
    private long lastCompaction = System.nanoTime();

    MetricSink(MetricStore store, Duration compactionInterval) {
        this.store = store;
        this.compactionNanos = compactionInterval.toNanos();
    }

    @Override
    public String apply(ConsumerRecord<String, byte[]> record) throws IOException {
        Object decoded = Telemetry.decode(record, MetricSample.class);
        if (decoded instanceof String reason) {
            return reason;
        }
        store.add((MetricSample) decoded);
        return null;
    }

    @Override
    public void commit() throws IOException {
        store.commit();
    }

    @Override
    public void maintain() throws IOException {
        if (System.nanoTime() - lastCompaction >= compactionNanos) {
            lastCompaction = System.nanoTime();
            store.compact();
        }
    }
}
