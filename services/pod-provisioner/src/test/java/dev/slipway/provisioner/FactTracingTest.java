package dev.slipway.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.messaging.EventRecords;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.TopicWatch;
import dev.slipway.testkit.tracing.ProducedTraces;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * With the SDK on, a pod fact carries one traceparent: its PRODUCER span's, which continues the decision's trace through the
 * pod's creation. (The fact channel's own tracing is off; on, the connector would add a second traceparent.)
 */
@QuarkusTest
@TestProfile(FactTracingTest.Traced.class)
@QuarkusTestResource(KafkaTestResource.class)
class FactTracingTest {

    private static final String TRACE = "6de1b4e5f2a3c4d5e6f708192a3b4c5d";
    private static final String SCHEDULER_SPAN = "00f067aa0ba902b7";

    /** The local backend's profile with the OpenTelemetry SDK on, exporting to the test kit's in-memory exporter. */
    public static class Traced extends LocalProvisionerProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.putAll(Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "50ms",
                    "quarkus.index-dependency.testkit.group-id", "dev.slipway",
                    "quarkus.index-dependency.testkit.artifact-id", "slipway-testkit"));
            return overrides;
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aFactCarriesOneTraceparentItsProducerSpansUnderTheDecisions() {
        String cluster = "t" + UUID.randomUUID().toString().substring(0, 8);
        String pod = cluster + "-jm-0";
        // A version this checkout has no Flink for: the pod fails at once, no process is started.
        ClusterSpec spec = new ClusterSpec("test", "team-a", ClusterMode.STATIC, "1.16.3", new ProcessSize(0.5, 1024, 0), 1,
                new ProcessSize(0.5, 1024, 0), 1, 0, null, 0, null, null, Map.of());
        ConsumerTask<String, byte[]> resources = TopicWatch.watch(companion, Topics.RESOURCES);
        try {
            companion.produce(String.class, byte[].class).fromRecords(EventRecords.toRecord(new ProvisionPod("d-" + pod, cluster,
                    Instant.now(), "cause", "test", pod, PodRole.JOB_MANAGER, null, spec.jobManager(), 1, spec, null), "/test",
                    "00-" + TRACE + "-" + SCHEDULER_SPAN + "-01")).awaitCompletion();

            await().atMost(Duration.ofSeconds(30)).until(() -> !TopicWatch.recordsOf(resources, cluster).isEmpty());
            ConsumerRecord<String, byte[]> fact = TopicWatch.recordsOf(resources, cluster).get(0);
            assertThat(EventRecords.text(fact.headers(), CloudEventHeaders.TYPE)).isEqualTo("dev.slipway.resources.PodFailed");
            String[] traceparent = ProducedTraces.onlyTraceparent(fact);
            assertThat(traceparent[1]).isEqualTo(TRACE);
            // Up through the pod's creation and the decision's consumer span to the scheduler's span.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> ProducedTraces.assertProducerUnder(
                    spans.getFinishedSpanItems(), traceparent[2], Topics.RESOURCES + " publish", SCHEDULER_SPAN));
        } finally {
            resources.stop();
        }
    }
}
