package dev.slipway.scheduler.loop;

import dev.slipway.messaging.KafkaClientProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * {@link Delivery#AT_LEAST_ONCE}: encodes and sends snapshots off the loop's thread, on a producer of its own, so the loop's
 * flushes never wait for them. A partition's snapshot is every cluster it changed: encoding them held the loop (and every
 * request behind it) for 150-170 ms.
 */
final class SnapshotWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SnapshotWriter.class);
    /** Cluster snapshots sent before the writer waits for their acknowledgements. */
    private static final int IN_FLIGHT = 16;

    private final SnapshotStore store;
    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService executor;
    /** The last snapshot handed to the executor; waited for before partitions change hands. */
    private Future<?> lastWrite = CompletableFuture.completedFuture(null);

    SnapshotWriter(String bootstrapServers, String instanceId, SnapshotStore store) {
        this.store = store;
        this.producer = new KafkaProducer<>(KafkaClientProperties.idempotentProducer(bootstrapServers), new StringSerializer(),
                new ByteArraySerializer());
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread writer = new Thread(runnable, "snapshot-writer-" + instanceId);
            writer.setDaemon(true);
            return writer;
        });
    }

    void write(PartitionStates.Snapshot snapshot) {
        lastWrite = executor.submit(() -> send(snapshot));
    }

    /**
     * The clusters' snapshots, then (only once every one is acknowledged) the marker. Without the marker a rebuild sees
     * snapshots newer than the last marker and replays the partition from further back.
     */
    private void send(PartitionStates.Snapshot snapshot) {
        List<SnapshotRecord> clusters = snapshot.clusters();
        SnapshotRecord marker = snapshot.marker();
        try {
            // A few at a time, each group acknowledged before the next is encoded: a partition's snapshot can be
            // megabytes, and sent at once it takes the broker and both cores from the decisions for tens of ms.
            for (int from = 0; from < clusters.size(); from += IN_FLIGHT) {
                List<Future<RecordMetadata>> sent = new ArrayList<>(IN_FLIGHT);
                for (SnapshotRecord cluster : clusters.subList(from, Math.min(clusters.size(), from + IN_FLIGHT))) {
                    sent.add(producer.send(store.record(cluster)));
                }
                for (Future<RecordMetadata> future : sent) {
                    future.get();
                }
            }
            producer.send(store.record(marker)).get();
        } catch (ExecutionException | RuntimeException e) {
            LOG.warnf("snapshot of partition %d at offset %d not written (a rebuild replays from the one before): %s",
                    marker.partition(), marker.offset(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the snapshots handed over so far. */
    void await() {
        try {
            lastWrite.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("snapshot writes not finished: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        await();
        executor.shutdown();
        producer.close();
    }
}
