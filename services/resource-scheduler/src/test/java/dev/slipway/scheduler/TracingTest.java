package dev.slipway.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.messaging.EventRecords;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.tracing.TracingProfile;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** One trace from Flink's REST call through the resource event to the decision, with the SDK on. */
@QuarkusTest
@TestProfile(TracingProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
class TracingTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aResourceRequestsTraceReachesItsDecisions() {
        String cluster = Clusters.newId();
        Clusters.write(companion, new ClusterSpecCreated(UUID.randomUUID().toString(), cluster, Instant.now(), 1,
                Clusters.elastic(0, 10, 300)));
        ConsumerTask<String, byte[]> resources = Clusters.watch(companion, Topics.RESOURCES);
        ConsumerTask<String, byte[]> decisions = Clusters.watch(companion, Topics.DECISIONS);
        try {
            given().contentType(ContentType.JSON).header("Authorization", "Bearer " + new ClusterTokens("test-secret-of-enough-length").issue(cluster))
                    .header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")
                    .body("{\"requestId\":\"r-traced\",\"count\":1}")
                    .when().post("/api/v1/clusters/{id}/resource-requests", cluster)
                    .then().statusCode(202);

            ConsumerRecord<String, byte[]> requested = await().atMost(Duration.ofSeconds(30)).until(
                    () -> withRequest(Clusters.recordsOf(resources, cluster)), record -> record != null);
            ConsumerRecord<String, byte[]> decided = await().atMost(Duration.ofSeconds(30)).until(
                    () -> withRequest(Clusters.recordsOf(decisions, cluster)), record -> record != null);

            String[] requestedParent = traceparent(requested);
            String[] decidedParent = traceparent(decided);
            assertThat(requestedParent[1]).isEqualTo(TRACE);
            assertThat(decidedParent[1]).isEqualTo(TRACE);
            assertThat(requestedParent[2]).isNotEqualTo(CALLER_SPAN);
            assertThat(decidedParent[2]).isNotEqualTo(requestedParent[2]).isNotEqualTo(CALLER_SPAN);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(spans.getFinishedSpanItems()).anySatisfy(span -> {
                    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
                    assertThat(span.getTraceId()).isEqualTo(TRACE);
                    assertThat(span.getParentSpanId()).isEqualTo(CALLER_SPAN);
                });
                // The decision's PRODUCER span is a child of the processing span of the request record.
                assertThat(spans.getFinishedSpanItems()).anySatisfy(span -> {
                    assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
                    assertThat(span.getTraceId()).isEqualTo(TRACE);
                    assertThat(span.getParentSpanId()).isEqualTo(requestedParent[2]);
                });
                assertThat(spans.getFinishedSpanItems()).anySatisfy(span -> {
                    assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
                    assertThat(span.getSpanId()).isEqualTo(decidedParent[2]);
                });
            });
        } finally {
            resources.stop();
            decisions.stop();
        }
    }

    private static ConsumerRecord<String, byte[]> withRequest(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"r-traced\""))
                .findFirst().orElse(null);
    }

    /** version, trace id, parent span id, flags. */
    private static String[] traceparent(ConsumerRecord<String, byte[]> record) {
        String value = EventRecords.text(record.headers(), CloudEventHeaders.TRACEPARENT);
        assertThat(value).isNotNull();
        return value.split("-");
    }
}
