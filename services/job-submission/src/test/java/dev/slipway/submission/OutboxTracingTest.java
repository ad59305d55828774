package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.elastic;
import static dev.slipway.submission.TestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.Topics;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import dev.slipway.testkit.tracing.ProducedTraces;
import dev.slipway.testkit.tracing.TracingProfile;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * With the SDK on, an event the outbox relay publishes carries one traceparent: its PRODUCER span's, which continues the
 * caller's trace. (The outbox channel's own tracing is off; on, the connector would add a second traceparent.)
 */
@QuarkusTest
@TestProfile(TracingProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class OutboxTracingTest {

    private static final String TRACE = "5ce0a3d4e1f2b3c4d5e6f708192a3b4c";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aPublishedEventCarriesOneTraceparentItsProducerSpansUnderTheCallers() {
        ConsumerTask<String, byte[]> resources = TestSupport.watch(companion, Topics.RESOURCES);
        try {
            String id = as(TEAM_A).header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")
                    .body(elastic(uniqueName("traced"), 0, 2)).post("/api/v1/clusters")
                    .then().statusCode(201).extract().path("id");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(TestSupport.recordsOf(resources, id)).hasSize(1));
            ConsumerRecord<String, byte[]> record = TestSupport.recordsOf(resources, id).get(0);
            String[] traceparent = ProducedTraces.onlyTraceparent(record);
            assertThat(traceparent[1]).isEqualTo(TRACE);
            // Up through this service's own spans (the REST call's) to the caller's.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> ProducedTraces.assertProducerUnder(
                    spans.getFinishedSpanItems(), traceparent[2], Topics.RESOURCES + " publish", CALLER_SPAN));
        } finally {
            resources.stop();
        }
    }
}
