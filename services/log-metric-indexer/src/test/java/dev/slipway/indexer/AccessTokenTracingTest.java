package dev.slipway.indexer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.tracing.TracingProfile;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With tracing on, a token sent as access_token= is not in the HTTP server span the indexer exports. */
@QuarkusTest
@TestProfile(TracingProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(IndexDirTestResource.class)
class AccessTokenTracingTest {

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theServerSpanHasTheQueryWithoutTheToken() {
        given().queryParam("clusterId", "traced-1").queryParam("access_token", "slwr1.must-not-be-exported")
                .get("/api/v1/logs").then().statusCode(401);

        // The query is recorded (url.query in current semantic conventions), with the token replaced.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .filteredOn(span -> span.getKind() == SpanKind.SERVER)
                .flatExtracting(span -> span.getAttributes().asMap().values())
                .anySatisfy(value -> assertThat(value.toString()).contains("clusterId=traced-1&access_token=REDACTED")));
        assertThat(spans.getFinishedSpanItems()).allSatisfy(span -> assertThat(span.getAttributes().asMap().values())
                .noneMatch(value -> value.toString().contains("must-not-be-exported")));
    }
}
