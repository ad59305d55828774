package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.create;
import static dev.slipway.submission.TestSupport.elastic;
import static dev.slipway.submission.TestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.messaging.EventRecords;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import dev.slipway.testkit.tracing.TracingProfile;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A pod fact's trace, from the provisioner that observed the pod, ends in the cluster status it sets. */
@QuarkusTest
@TestProfile(TracingProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class StatusTracingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PROVISIONER_SPAN = "00f067aa0ba902b7";

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void applyingAPodFactContinuesItsTrace() {
        String cluster = create(TEAM_A, elastic(uniqueName("traced"), 0, 4));
        PodReady ready = new PodReady(UUID.randomUUID().toString(), cluster, Instant.now(), cluster + "-jm-0",
                PodRole.JOB_MANAGER, "node-a", "10.0.0.5:8081");
        companion.produce(String.class, byte[].class)
                .fromRecords(EventRecords.toRecord(ready, "/test", "00-" + TRACE + "-" + PROVISIONER_SPAN + "-01"))
                .awaitCompletion();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(TEAM_A).get("/api/v1/clusters/{id}", cluster)
                .then().statusCode(200).body("status", equalTo("RUNNING")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            // SmallRye Reactive Messaging's consumer span continues the provisioner's trace ...
            SpanData received = spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getKind() == SpanKind.CONSUMER && TRACE.equals(span.getTraceId())
                            && PROVISIONER_SPAN.equals(span.getParentSpanId()))
                    .findFirst().orElseThrow(() -> new AssertionError("no consumer span continues trace " + TRACE));
            assertThat(received.getName()).isEqualTo(Topics.RESOURCES + " receive");
            // ... and the status update's own work (its database calls) runs inside it.
            assertThat(spans.getFinishedSpanItems()).anySatisfy(span -> {
                assertThat(span.getTraceId()).isEqualTo(TRACE);
                assertThat(span.getParentSpanId()).isEqualTo(received.getSpanId());
            });
        });
    }
}
