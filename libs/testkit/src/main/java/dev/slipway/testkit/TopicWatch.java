package dev.slipway.testkit;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reading what services wrote, in tests: a topic from its beginning, committed records only. */
public final class TopicWatch {

    private TopicWatch() {
    }

    /** A consumer of the topic in a group of its own, running until stopped. */
    public static ConsumerTask<String, byte[]> watch(KafkaCompanion companion, String topic) {
        return companion.<String, byte[]>consumeWithDeserializers(StringDeserializer.class, ByteArrayDeserializer.class)
                .withGroupId("watch-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST)
                .withIsolationLevel(IsolationLevel.READ_COMMITTED)
                .fromTopics(topic);
    }

    public static List<ConsumerRecord<String, byte[]>> recordsOf(ConsumerTask<String, byte[]> task, String key) {
        return task.getRecords().stream().filter(record -> key.equals(record.key())).toList();
    }
}
