package dev.slipway.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.testkit.OwnBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away under the REST API: a request the broker cannot take is answered 503 with Retry-After as
 * problem+json once the acknowledgement timeout (2 s here) has passed (not a 500, and not a call that hangs for Kafka's
 * delivery timeout past the caller's own), and once the broker is back the same request is taken and decided, once.
 */
@QuarkusTest
// Shorter than the producer's own delivery timeout (10 s), so the test sees this deadline's answer.
@QuarkusTestResource(value = OwnBrokerResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "slipway.scheduler.acknowledgement-timeout", value = "2s"))
class BrokerOutageTest {

    private static final ClusterTokens TOKENS = new ClusterTokens("test-secret-of-enough-length");

    @Test
    void aRequestTheBrokerCannotTakeIsA503WithRetryAfterAndTheSameRequestIsDecidedOnceTheBrokerIsBack() {
        String cluster = Clusters.newId();
        String token = "Bearer " + TOKENS.issue(cluster);
        try (KafkaCompanion companion = new KafkaCompanion(OwnBrokerResource.broker().bootstrapServers())) {
            ConsumerTask<String, byte[]> decisions = Clusters.watch(companion, Topics.DECISIONS);
            Clusters.write(companion, new ClusterSpecCreated(UUID.randomUUID().toString(), cluster, Instant.now(), 1,
                    Clusters.elastic(0, 4, 60)));
            await("the cluster's JobManager decided").atMost(Duration.ofSeconds(30))
                    .until(() -> !Clusters.decisionsOf(decisions, cluster).isEmpty());

            OwnBrokerResource.broker().stop();
            try {
                Response refused = request(cluster, token);
                refused.then().statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", notNullValue())
                        .body("status", equalTo(503))
                        .body("detail", containsString("request r-1 was not acknowledged by Kafka within 2000 ms"));
            } finally {
                OwnBrokerResource.broker().start();
            }

            await("the same request taken once the broker is back").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> request(cluster, token).statusCode() == 202);
            await("the request decided").atMost(Duration.ofSeconds(60)).until(() -> provisioned(decisions, cluster).size() == 1);
            assertThat(provisioned(decisions, cluster)).singleElement()
                    .satisfies(provision -> assertThat(provision.requestId()).isEqualTo("r-1"));
            decisions.stop();
        }
    }

    private static Response request(String cluster, String token) {
        return given().header("Authorization", token).contentType(ContentType.JSON)
                .body("{\"requestId\":\"r-1\",\"count\":1}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster);
    }

    private static List<ProvisionPod> provisioned(ConsumerTask<String, byte[]> decisions, String cluster) {
        return Clusters.decisionsOf(decisions, cluster).stream()
                .filter(ProvisionPod.class::isInstance).map(ProvisionPod.class::cast)
                .filter(provision -> provision.role() == PodRole.TASK_MANAGER).toList();
    }
}
