package dev.slipway.submission.messaging;

import dev.slipway.messaging.KafkaMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes through the {@value #CHANNEL} channel of SmallRye Reactive Messaging (configured in application.properties): an
 * idempotent producer acknowledged by all replicas. Records of one key keep their order: the channel hands them to Kafka in
 * the order they are sent here, and neither Kafka's retries nor the connector (whose own re-sends are off) send one behind
 * a later one. Each send's Uni completes with the broker's acknowledgement; publish returns once all of them did.
 */
@ApplicationScoped
public class KafkaEventSink implements EventSink {

    static final String CHANNEL = "outbox";
    private static final long ACK_TIMEOUT_SECONDS = 30;

    private final MutinyEmitter<byte[]> emitter;

    public KafkaEventSink(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    @Override
    public void publish(List<ProducerRecord<String, byte[]>> records) throws Exception {
        if (records.isEmpty()) {
            return;
        }
        // The first record alone: with no broker its send fails after max.block.ms and ends the batch here. Sent with the
        // others, it would leave them queued on the channel's one sending thread, each waiting max.block.ms in turn, and the
        // next pass's records behind them. The rows stay in the outbox for the next pass.
        send(records.get(0)).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<CompletableFuture<Void>> acks = new ArrayList<>(records.size() - 1);
        for (ProducerRecord<String, byte[]> record : records.subList(1, records.size())) {
            acks.add(send(record));
        }
        for (CompletableFuture<Void> ack : acks) {
            ack.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Sends now (the emitter's Uni is lazy): completed when the broker acknowledged the record, failed when it did not. */
    private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
        return emitter.sendMessage(KafkaMessages.of(record)).subscribeAsCompletionStage();
    }
}
