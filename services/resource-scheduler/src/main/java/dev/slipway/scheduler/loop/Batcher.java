package dev.slipway.scheduler.loop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Makes the batch to decide: what a poll brought and whatever the consumer fetched meanwhile, up to {@code maxBatch}
 * records, waiting up to {@code gatherFor} for more (see {@link DeliveryStrategy#gatherFor()}). Records of partitions handed
 * over during the gathering are dropped: they are the next owner's to decide.
 */
final class Batcher {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Duration poll;
    private final int maxBatch;
    private final Duration gatherFor;
    /** Partitions handed over by a poll of {@link #next}, whose records gathered before it must not be decided. */
    private final Set<TopicPartition> revokedWhileGathering = new HashSet<>();

    Batcher(KafkaConsumer<String, byte[]> consumer, Duration poll, int maxBatch, Duration gatherFor) {
        this.consumer = consumer;
        this.poll = poll;
        this.maxBatch = maxBatch;
        this.gatherFor = gatherFor;
    }

    /** The consumer's rebalance listener says partitions were handed over (it runs inside a poll of this batcher's). */
    void revoked(Collection<TopicPartition> partitions) {
        revokedWhileGathering.addAll(partitions);
    }

    /** The next batch; empty when the first poll brought nothing. */
    List<ConsumerRecord<String, byte[]>> next() {
        ConsumerRecords<String, byte[]> first = consumer.poll(poll);
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(first.count());
        first.forEach(batch::add);
        revokedWhileGathering.clear();
        long until = System.nanoTime() + gatherFor.toNanos();
        while (!batch.isEmpty() && batch.size() < maxBatch) {
            boolean waiting = System.nanoTime() < until;
            ConsumerRecords<String, byte[]> more = consumer.poll(waiting ? Duration.ofMillis(1) : Duration.ZERO);
            if (!revokedWhileGathering.isEmpty()) {
                // That poll handed partitions over: what was gathered of them before is the next owner's to decide, or
                // ours again from the committed offset if they came back. What the poll returned is after the hand-over.
                batch.removeIf(record -> revokedWhileGathering.contains(new TopicPartition(record.topic(), record.partition())));
                revokedWhileGathering.clear();
            }
            if (more.isEmpty() && !waiting) {
                break;
            }
            more.forEach(batch::add);
        }
        return batch;
    }
}
