package dev.slipway.scheduler;

import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.FailurePolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.testkit.TopicWatch;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Test helpers: cluster specs, writing resource events, reading what came out. */
final class Clusters {

    private Clusters() {
    }

    static String newId() {
        return "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static ClusterSpec elastic(int warmPool, int max, long idleTimeoutSeconds) {
        return new ClusterSpec("test", "team-a", ClusterMode.ELASTIC, "2.2.0", new ProcessSize(1, 1600, 0), 1,
                new ProcessSize(1, 1024, 0), 2, 0, new ElasticPolicy(warmPool, max, idleTimeoutSeconds), 0,
                new FailurePolicy(120, 3, 10, 160), NetworkProfile.POD_NETWORK, Map.of());
    }

    static void write(KafkaCompanion companion, SlipwayEvent... events) {
        for (SlipwayEvent event : events) {
            companion.produce(String.class, byte[].class)
                    .fromRecords(EventRecords.toRecord(event, "/test", null))
                    .awaitCompletion();
        }
    }

    /** A consumer of a topic from its beginning, committed records only, running until stopped. */
    static ConsumerTask<String, byte[]> watch(KafkaCompanion companion, String topic) {
        return TopicWatch.watch(companion, topic);
    }

    static List<Decision> decisionsOf(ConsumerTask<String, byte[]> decisions, String clusterId) {
        return decisions.getRecords().stream()
                .filter(record -> clusterId.equals(record.key()))
                .map(record -> EventRecords.decode(record, Decision.class))
                .filter(DecodeResult.Decoded.class::isInstance)
                .map(decoded -> ((DecodeResult.Decoded<Decision>) decoded).event())
                .toList();
    }

    static List<ConsumerRecord<String, byte[]>> recordsOf(ConsumerTask<String, byte[]> task, String key) {
        return TopicWatch.recordsOf(task, key);
    }
}
