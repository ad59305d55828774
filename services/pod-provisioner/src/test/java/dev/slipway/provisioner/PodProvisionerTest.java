package dev.slipway.provisioner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.messaging.EventRecords;
import dev.slipway.testkit.BadInputs;
import dev.slipway.testkit.EveryRouteLocked;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.OpenApiDocument;
import dev.slipway.testkit.TopicWatch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service through its topics and REST: decisions in, real Flink processes, pod facts out. */
@QuarkusTest
@TestProfile(LocalProvisionerProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
class PodProvisionerTest {

    @InjectKafkaCompanion
    KafkaCompanion companion;

    private ConsumerTask<String, byte[]> resources;
    private String cluster;

    @BeforeEach
    void watch() {
        resources = TopicWatch.watch(companion, Topics.RESOURCES);
        cluster = "p" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void stopWatching() {
        resources.stop();
    }

    private static ClusterSpec spec(String version) {
        return new ClusterSpec("test", "team-a", ClusterMode.STATIC, version, new ProcessSize(0.5, 1024, 0), 1,
                new ProcessSize(0.5, 1024, 0), 1, 0, null, 0, null, null, Map.of());
    }

    private void decide(Decision decision) {
        decide(decision, null);
    }

    private void decide(Decision decision, String traceparent) {
        companion.produce(String.class, byte[].class).fromRecords(EventRecords.toRecord(decision, "/test", traceparent))
                .awaitCompletion();
    }

    private List<String> traceIdsOfFacts() {
        return TopicWatch.recordsOf(resources, cluster).stream()
                .map(record -> EventRecords.text(record.headers(), CloudEventHeaders.TRACEPARENT))
                .map(traceparent -> traceparent == null ? "none" : traceparent.split("-")[1]).toList();
    }

    private List<PodFact> facts() {
        return PodFacts.of(resources, cluster);
    }

    private List<String> factNames() {
        return PodFacts.names(resources, cluster);
    }

    @Test
    void readyOnlyWhileApplyingDecisionsWithTheRevocationsRead() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'decision-applier' }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void aProvisionDecisionBecomesARunningJobManagerAndADeleteStopsIt() {
        String pod = cluster + "-jm-0";
        ProvisionPod provision = new ProvisionPod("d-" + pod, cluster, Instant.now(), "cause", "test", pod, PodRole.JOB_MANAGER, null,
                spec("2.2.0").jobManager(), 1, spec("2.2.0"), null);
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        decide(provision, "00-" + trace + "-00f067aa0ba902b7-01");
        decide(provision); // redelivered: still one pod

        await().atMost(Duration.ofSeconds(60)).until(() -> factNames().contains("PodReady " + pod));
        assertThat(factNames()).containsExactly("PodCreated " + pod, "PodReady " + pod);
        // The decision's trace goes on through the pod's creation into its facts.
        assertThat(traceIdsOfFacts()).containsExactly(trace, trace);
        PodReady ready = (PodReady) facts().get(1);
        int restPort = asCluster().get("/api/v1/clusters/{id}/jobmanager", cluster).then().statusCode(200).extract().path("restPort");
        assertThat(ready.address()).isEqualTo("127.0.0.1:" + restPort);
        // Ready is the port open; Flink's REST handlers answer 503 until the dispatcher is elected, a moment later.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("http://127.0.0.1:" + restPort + "/overview").then().statusCode(200));
        asOperator().get("/api/v1/local/pods").then().statusCode(200).body("$", hasItem(cluster + "/" + pod));
        asReader().queryParam("clusterId", cluster).get("/api/v1/local/pods").then().statusCode(200)
                .body("$", equalTo(List.of(cluster + "/" + pod)));
        // Locked: no token, another cluster's token, a cluster's token across clusters.
        given().get("/api/v1/clusters/{id}/jobmanager", cluster).then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + TOKENS.issue("other-" + cluster)).get("/api/v1/clusters/{id}/jobmanager", cluster)
                .then().statusCode(403).contentType("application/problem+json");
        asCluster().get("/api/v1/local/pods").then().statusCode(403).body("title", equalTo("Operator token required"));
        given().header("Authorization", "Bearer " + TOKENS.issue("other-" + cluster)).queryParam("clusterId", cluster)
                .get("/api/v1/local/pods").then().statusCode(403);

        String deleteTrace = "5ce0a3d4e1f2b3c4d5e6f708192a3b4c";
        decide(new DeletePod("x-" + pod, cluster, Instant.now(), "cause", "test", pod, PodRole.JOB_MANAGER),
                "00-" + deleteTrace + "-00f067aa0ba902b7-01");

        await().atMost(Duration.ofSeconds(30)).until(() -> factNames().contains("PodDeleted " + pod));
        // The delete decision's trace goes on into the pod's last fact.
        assertThat(traceIdsOfFacts()).containsExactly(trace, trace, deleteTrace);
        asOperator().get("/api/v1/local/pods").then().statusCode(200).body("$", not(hasItem(cluster + "/" + pod)));
    }

    static final ClusterTokens TOKENS = new ClusterTokens("test-secret-of-enough-length");

    private RequestSpecification asCluster() {
        return given().header("Authorization", "Bearer " + TOKENS.issue(cluster));
    }

    private RequestSpecification asReader() {
        return given().header("Authorization", "Bearer " + TOKENS.issueReader(cluster));
    }

    private static RequestSpecification asOperator() {
        return given().header("Authorization", "Bearer test-operator-token-0123");
    }

    @Test
    void withoutATokenNothingIsAnsweredNotEvenWhetherAnIdIsValid() {
        given().urlEncodingEnabled(false).get("/api/v1/clusters/a..b/jobmanager").then().statusCode(401)
                .contentType("application/problem+json");
        given().get("/api/v1/local/pods").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void anUnknownClustersJobManagerIsAProblemThatSaysWhatToCheck() {
        asReader().get("/api/v1/clusters/{id}/jobmanager", cluster).then().statusCode(404)
                .contentType("application/problem+json")
                .body("title", equalTo("Unknown JobManager"))
                .body("detail", containsString(cluster));
    }

    @Test
    void aClusterIdOutsideTheGrammarNeverBecomesAPath() {
        for (String id : List.of("UPPER", "a..b", "-x", "x_y", "a.b")) {
            asOperator().urlEncodingEnabled(false).get("/api/v1/clusters/" + id + "/jobmanager").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem("clusterId"));
        }
    }

    @Test
    void aPodThatCannotStartIsAFailureFactThatSaysWhy() {
        String pod = cluster + "-jm-0";
        decide(new ProvisionPod("d-" + pod, cluster, Instant.now(), "cause", "test", pod, PodRole.JOB_MANAGER, null,
                spec("1.16.3").jobManager(), 1, spec("1.16.3"), null));

        await().atMost(Duration.ofSeconds(30)).until(() -> !facts().isEmpty());
        assertThat(facts()).singleElement().isInstanceOfSatisfying(PodFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo("UnsupportedFlinkVersion");
            assertThat(failed.message()).contains("1.16.3");
        });
    }

    @Test
    void anUnreadableDecisionGoesToTheDeadLetterTopicAndTheNextOneIsApplied() {
        ConsumerTask<String, byte[]> deadLetters = TopicWatch.watch(companion, Topics.DEAD_LETTER);
        try {
            companion.produce(String.class, byte[].class).fromRecords(
                    new ProducerRecord<>(Topics.DECISIONS, cluster, "{\"type\":\"ProvisionPod\"".getBytes(StandardCharsets.UTF_8)))
                    .awaitCompletion();
            String pod = cluster + "-jm-0";
            decide(new DeletePod("x-" + pod, cluster, Instant.now(), "cause", "test", pod, PodRole.JOB_MANAGER));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TopicWatch.recordsOf(deadLetters, cluster))
                    .singleElement().satisfies(record -> {
                        assertThat(EventRecords.text(record.headers(), CloudEventHeaders.DEAD_LETTER_REASON)).startsWith("MALFORMED");
                        assertThat(EventRecords.text(record.headers(), CloudEventHeaders.DEAD_LETTER_ORIGIN))
                                .startsWith(Topics.DECISIONS + "/");
                        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"ProvisionPod\"");
                    }));
            // Deleting a pod that never existed is a no-op that says the pod is gone.
            await().atMost(Duration.ofSeconds(30)).until(() -> factNames().equals(List.of("PodDeleted " + pod)));
        } finally {
            deadLetters.stop();
        }
    }

    @TestHTTPResource("/")
    URL serviceUrl;

    /** Generated from the service's OpenAPI document: a pod listing's cluster id sent wrong in every way is a 400 naming it. */
    @Test
    void everyQueryParameterSentWrongIsRefusedNamingIt() throws Exception {
        List<BadInputs.QueryCase> cases = BadInputs.queryCases(OpenApiDocument.of(serviceUrl.toString()), "GET", "/api/v1/local/pods");
        assertThat(cases).as("cases generated").hasSizeGreaterThan(3);
        assertThat(BadInputs.queryFailures(serviceUrl.toString().replaceAll("/$", "") + "/api/v1/local/pods", "GET",
                Map.of("Authorization", "Bearer test-operator-token-0123"), Map.of(), cases))
                .as("bad query parameters not answered as they should be").isEmpty();
    }

    /** Generated from the service's OpenAPI routes: a new endpoint without a check of its caller fails here. */
    @Test
    void everyRouteRefusesACallerWithoutAToken() throws Exception {
        EveryRouteLocked.check(serviceUrl);
    }
}
