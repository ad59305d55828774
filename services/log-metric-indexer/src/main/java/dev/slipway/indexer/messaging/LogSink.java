package dev.slipway.indexer.messaging;

import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.indexer.logs.LogIndex;
import dev.slipway.indexer.logs.LogTail;
import java.io.IOException;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Log records into the time-partitioned index, then to live followers. */
final class LogSink implements IngestSink {

    private final LogIndex index;
    private final LogTail tail;
    private final long retentionCheckNanos;
    private long lastRetentionCheck = System.nanoTime();

    LogSink(LogIndex index, LogTail tail, Duration retentionCheckInterval) {
        this.index = index;
        this.tail = tail;
        this.retentionCheckNanos = retentionCheckInterval.toNanos();
    }

    @Override
    public String apply(ConsumerRecord<String, byte[]> record) throws IOException {
        Object decoded = Telemetry.decode(record, LogRecord.class);
        if (decoded instanceof String reason) {
            return reason;
        }
        LogRecord log = (LogRecord) decoded;
        // The stored copy is the record's own JSON: nothing to encode again.
        if (index.add(log, record.value())) {
            tail.publish(log);
        }
        return null;
    }

    @Override
    public void commit() throws IOException {
        index.commit();
    }

    @Override
    public void maintain() throws IOException {
        if (System.nanoTime() - lastRetentionCheck >= retentionCheckNanos) {
            lastRetentionCheck = System.nanoTime();
            index.enforceRetention();
        }
    }
}
