package dev.slipway.indexer.messaging;

import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.indexer.logs.LiveLogBroadcast;
import dev.slipway.indexer.logs.LogIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Log records into the time-partitioned index, then to live followers. A polled batch is decoded and
 * indexed by several threads at once (Lucene's writer takes documents from many threads); followers get
 * the records afterwards, in the batch's order, from the loop's thread.
 */
final class LogSink implements IngestSink, AutoCloseable {

    /** Below this a batch is not worth splitting. */
    private static final int MIN_CHUNK = 256;

    private final LogIndex index;
    private final LiveLogBroadcast tail;
    private final long retentionCheckNanos;
    private final int threads;
    private final ExecutorService workers;
    private long lastRetentionCheck = System.nanoTime();

    LogSink(LogIndex index, LiveLogBroadcast tail, Duration retentionCheckInterval, int threads) {
        this.index = index;
        this.tail = tail;
        this.retentionCheckNanos = retentionCheckInterval.toNanos();
        this.threads = Math.max(1, threads);
        this.workers = Executors.newFixedThreadPool(this.threads, runnable -> {
            Thread thread = new Thread(runnable, "log-indexing");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String apply(ConsumerRecord<String, byte[]> record) throws IOException {
        LogRecord[] indexed = new LogRecord[1];
        String reason = index(record, indexed, 0);
        if (indexed[0] != null) {
            tail.publish(indexed[0]);
        }
        return reason;
    }

    @Override
    public String[] applyAll(List<ConsumerRecord<String, byte[]>> records) throws IOException {
        String[] reasons = new String[records.size()];
        LogRecord[] indexed = new LogRecord[records.size()];
        int chunk = Math.max(MIN_CHUNK, (records.size() + threads - 1) / threads);
        List<Future<?>> running = new ArrayList<>();
        for (int start = 0; start < records.size(); start += chunk) {
            int from = start;
            int to = Math.min(records.size(), start + chunk);
            running.add(workers.submit(() -> {
                for (int i = from; i < to; i++) {
                    try {
                        reasons[i] = index(records.get(i), indexed, i);
                    } catch (IllegalArgumentException e) {
                        reasons[i] = "UNINDEXABLE: " + e.getMessage();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }));
        }
        for (Future<?> chunkDone : running) {
            try {
                chunkDone.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof UncheckedIOException io ? io.getCause() : new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while indexing", e);
            }
        }
        for (LogRecord record : indexed) {
            if (record != null) {
                tail.publish(record);
            }
        }
        return reasons;
    }

    /** Decodes and indexes; {@code indexed[i]} is the record if it was indexed (not past retention). */
    private String index(ConsumerRecord<String, byte[]> record, LogRecord[] indexed, int i) throws IOException {
        Object decoded = Telemetry.decode(record, LogRecord.class);
        if (decoded instanceof String reason) {
            return reason;
        }
        LogRecord log = (LogRecord) decoded;
        // The stored copy is the record's own JSON: nothing to encode again.
        if (index.add(log, record.value())) {
            indexed[i] = log;
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

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
