package dev.slipway.indexer.messaging;

import dev.slipway.messaging.EventRecords;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The log ingest on SmallRye Reactive Messaging, kept to measure it against {@link IngestLoop} with the log benchmark
 * (selected with {@code slipway.indexer.log-ingest=CHANNEL} and {@code mp.messaging.incoming.logs.enabled=true}): the
 * channel {@code logs} hands over batches on one worker thread in order, the same {@link LogSink} indexes them, and their
 * acknowledgements (so their offsets, by the throttled strategy) are held until the next index commit.
 */
@ApplicationScoped
public class ChannelLogIngest {

    private static final Logger LOG = Logger.getLogger(ChannelLogIngest.class);

    private final IndexerRuntime runtime;
    private final List<Message<?>> awaitingCommit = new ArrayList<>();
    private final List<CompletableFuture<Void>> deadLettersInFlight = new ArrayList<>();
    private long lastCommit = System.nanoTime();

    public ChannelLogIngest(IndexerRuntime runtime) {
        this.runtime = runtime;
    }

    @Incoming("logs")
    @Blocking
    public CompletionStage<Void> ingest(Message<List<byte[]>> batch) throws IOException, InterruptedException {
        IngestSink sink = runtime.awaitChannelLogSink();
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordBatchMetadata<String, byte[]> metadata = batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .orElseThrow();
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(metadata.count());
        metadata.getRecords().forEach(records::add);
        String[] reasons = sink.applyAll(records);
        for (int i = 0; i < reasons.length; i++) {
            if (reasons[i] != null) {
                LOG.warnf("%s/%d/%d to the dead-letter topic: %s", records.get(i).topic(), records.get(i).partition(),
                        records.get(i).offset(), reasons[i]);
                deadLettersInFlight.add(runtime.deadLetter(EventRecords.deadLetter(records.get(i), reasons[i])));
            }
        }
        awaitingCommit.add(batch);
        if (System.nanoTime() - lastCommit >= runtime.commitInterval().toNanos()) {
            lastCommit = System.nanoTime();
            sink.commit();
            CompletableFuture.allOf(deadLettersInFlight.toArray(CompletableFuture[]::new)).join();
            deadLettersInFlight.clear();
            awaitingCommit.forEach(Message::ack);
            awaitingCommit.clear();
        }
        sink.maintain();
        return CompletableFuture.completedFuture(null);
    }

}
