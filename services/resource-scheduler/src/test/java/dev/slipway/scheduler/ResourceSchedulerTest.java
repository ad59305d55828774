package dev.slipway.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.credentials.TokensRevoked;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.ClusterSpecChanged;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.messaging.EventRecords;
import dev.slipway.rest.problems.ConcurrencyLimit;
import dev.slipway.scheduler.service.ReplayService;
import dev.slipway.testkit.BadInputs;
import dev.slipway.testkit.EveryRouteLocked;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.OpenApiDocument;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class ResourceSchedulerTest {

    private static final ClusterTokens TOKENS = new ClusterTokens("test-secret-of-enough-length");
    /** slipway.scheduler.operator-token of the test profile. */
    private static final String OPERATOR = "test-operator-token-0123";

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    ReplayService replays;

    @TestHTTPResource("/")
    URL root;

    private int port;

    private ConsumerTask<String, byte[]> decisions;
    private String cluster;

    @BeforeEach
    void watchDecisions() {
        port = root.getPort();
        decisions = Clusters.watch(companion, Topics.DECISIONS);
        cluster = Clusters.newId();
    }

    @AfterEach
    void stopWatching() {
        decisions.stop();
    }

    private String token() {
        return "Bearer " + TOKENS.issue(cluster);
    }

    /** The reader token job-submission shows the cluster's tenant. */
    private String reader() {
        return "Bearer " + TOKENS.issueReader(cluster);
    }

    private void created(int warmPool, int max, long idle) {
        Clusters.write(companion, new ClusterSpecCreated(UUID.randomUUID().toString(), cluster, Instant.now(), 1,
                Clusters.elastic(warmPool, max, idle)));
    }

    private List<Decision> decided() {
        return Clusters.decisionsOf(decisions, cluster);
    }

    @Test
    void aResourceRequestBecomesAProvisionPodDecisionWithCloudEventsAndTraceHeaders() {
        created(0, 10, 300);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        given().contentType(ContentType.JSON).header("Authorization", token()).header("traceparent", traceparent)
                .body("{\"requestId\":\"r-1\",\"count\":2}")
                .when().post("/api/v1/clusters/{id}/resource-requests", cluster)
                .then().statusCode(202).body("requestId", equalTo("r-1")).body("clusterId", equalTo(cluster));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(decided())
                .filteredOn(decision -> decision instanceof ProvisionPod provision && "r-1".equals(provision.requestId()))
                .extracting(decision -> ((ProvisionPod) decision).podName())
                .containsExactly(cluster + "-tm-0", cluster + "-tm-1"));
        ConsumerRecord<String, byte[]> record = Clusters.recordsOf(decisions, cluster).stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"r-1\"")).findFirst().orElseThrow();
        assertThat(EventRecords.text(record.headers(), CloudEventHeaders.TYPE)).isEqualTo("dev.slipway.decisions.ProvisionPod");
        assertThat(EventRecords.text(record.headers(), CloudEventHeaders.SOURCE)).isEqualTo("/slipway/resource-scheduler");
        // The decision continues the caller's trace (its parent is the scheduler's own span, see TracingTest).
        assertThat(EventRecords.text(record.headers(), CloudEventHeaders.TRACEPARENT))
                .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").hasSize(traceparent.length());
    }

    @Test
    void aRepeatedRequestIdIsTheSameRequest() {
        created(0, 10, 300);
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).header("Authorization", token())
                    .body("{\"requestId\":\"r-same\",\"count\":1}")
                    .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(202);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(decided()).filteredOn(ProvisionPod.class::isInstance).hasSize(2)); // the JobManager and one TaskManager
        // The read view follows the topics on a thread of its own: it may be a moment behind the decisions.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", reader()).get("/api/v1/clusters/{id}/state", cluster).then().statusCode(200)
                        .body("liveTaskManagers", is(1)));
    }

    @Test
    void aRequestIdNamesOneRequestAndOnlyTheClustersTaskManagersAreReleased() {
        created(0, 10, 300);
        given().contentType(ContentType.JSON).header("Authorization", token()).body("{\"requestId\":\"r-1\",\"count\":2}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", reader())
                .get("/api/v1/clusters/{id}/state", cluster).then().statusCode(200)
                .body("pods.findAll { it.role == 'TASK_MANAGER' }.size()", is(2)));
        // The same request again is the same request; the same id for another count is a conflict naming the first.
        given().contentType(ContentType.JSON).header("Authorization", token()).body("{\"requestId\":\"r-1\",\"count\":2}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(202);
        given().contentType(ContentType.JSON).header("Authorization", token()).body("{\"requestId\":\"r-1\",\"count\":5}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("count"))
                .body("detail", org.hamcrest.Matchers.containsString("asked for 2"));

        given().contentType(ContentType.JSON).header("Authorization", token()).body("{\"podName\":\"other-cluster-tm-0\"}")
                .post("/api/v1/clusters/{id}/releases", cluster).then().statusCode(404).body("errors[0].field", equalTo("podName"));
        Clusters.write(companion, new PodCreated(UUID.randomUUID().toString(), cluster, Instant.now(), cluster + "-jm-0",
                PodRole.JOB_MANAGER, null, "node-a"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().contentType(ContentType.JSON).header("Authorization", token()).body("{\"podName\":\"" + cluster + "-jm-0\"}")
                        .post("/api/v1/clusters/{id}/releases", cluster).then().statusCode(409)
                        .body("title", equalTo("Not a TaskManager")));
        assertThat(decided()).noneMatch(decision -> decision instanceof DeletePod);
    }

    @Test
    void podFactsUpdateTheStateThatTheResourceManagerSees() {
        created(0, 10, 300);
        given().contentType(ContentType.JSON).header("Authorization", token())
                .body("{\"requestId\":\"r-1\",\"count\":1}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(202);
        String pod = cluster + "-tm-0";
        await().atMost(Duration.ofSeconds(30)).until(() -> decided().stream().anyMatch(d -> d instanceof ProvisionPod p
                && p.podName().equals(pod)));
        Clusters.write(companion,
                new PodCreated(UUID.randomUUID().toString(), cluster, Instant.now(), pod, PodRole.TASK_MANAGER, "r-1", "node-a"),
                new PodReady(UUID.randomUUID().toString(), cluster, Instant.now(), pod, PodRole.TASK_MANAGER, "node-a", "10.0.0.1:6122"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", token()).get("/api/v1/clusters/{id}/pods", cluster)
                        .then().statusCode(200)
                        .body("find { it.name == '" + pod + "' }.status", equalTo("READY"))
                        .body("find { it.name == '" + pod + "' }.requestId", equalTo("r-1"))
                        .body("find { it.name == '" + pod + "' }.nodeName", equalTo("node-a")));
    }

    @Test
    void aReleaseByFlinkBecomesADeletePod() {
        created(0, 10, 300);
        given().contentType(ContentType.JSON).header("Authorization", token())
                .body("{\"requestId\":\"r-1\",\"count\":1}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(202);
        String pod = cluster + "-tm-0";
        Clusters.write(companion,
                new PodReady(UUID.randomUUID().toString(), cluster, Instant.now(), pod, PodRole.TASK_MANAGER, "node-a", "a:1"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", reader()).get("/api/v1/clusters/{id}/state", cluster)
                .then().body("pods.find { it.name == '" + pod + "' }.status", equalTo("READY")));

        given().contentType(ContentType.JSON).header("Authorization", token())
                .body("{\"podName\":\"" + pod + "\",\"reason\":\"idle for 30 s\"}")
                .post("/api/v1/clusters/{id}/releases", cluster).then().statusCode(202);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(decided())
                .filteredOn(DeletePod.class::isInstance).singleElement()
                .satisfies(delete -> assertThat(delete.reason()).isEqualTo("Flink released " + pod + " (idle for 30 s); it served request r-1")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", reader()).get("/api/v1/clusters/{id}/decisions?limit=1", cluster).then().statusCode(200)
                        .body("[0].type", equalTo("DeletePod")).body("size()", is(1)));
        // An offset past the end, even where offset + limit would overflow an int: an empty page, not a 500.
        given().header("Authorization", reader()).get("/api/v1/clusters/{id}/decisions?offset=2147483647&limit=1000", cluster).then()
                .statusCode(200).body("size()", is(0));
    }

    @Test
    void idleWarmPodsBeyondThePoolAreReleasedByTicks() {
        created(1, 10, 300);
        String warm = cluster + "-tm-0";
        Clusters.write(companion,
                new PodReady(UUID.randomUUID().toString(), cluster, Instant.now(), warm, PodRole.TASK_MANAGER, "node-a", "a:1"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", reader()).get("/api/v1/clusters/{id}/state", cluster)
                .then().body("warmTaskManagers", is(1)).body("pods.find { it.name == '" + warm + "' }.status", equalTo("READY")));
        // The pool shrinks to 0 with an idle timeout of 1 s: only the scheduler's own ticks can release the pod.
        Clusters.write(companion, new ClusterSpecChanged(UUID.randomUUID().toString(), cluster, Instant.now(), 2,
                Clusters.elastic(0, 10, 1)));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(decided())
                .filteredOn(DeletePod.class::isInstance).singleElement()
                .satisfies(delete -> assertThat(delete.reason()).startsWith("warm " + warm + " idle for")));
    }

    @Test
    void theResourceManagerFollowsItsPodsAsAServerSentEventStream() throws Exception {
        created(0, 10, 300);
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest stream = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/clusters/" + cluster + "/pods/stream"))
                .header("Authorization", token()).header("Accept", "text/event-stream").build();
        CompletableFuture<HttpResponse<Void>> subscription = http.sendAsync(stream, HttpResponse.BodyHandlers.ofLines())
                .thenApply(response -> {
                    response.body().forEach(lines::add);
                    return null;
                });
        try {
            String pod = cluster + "-tm-0";
            // The subscription is live once a change made after it shows up; keep making changes until one does.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Clusters.write(companion, new PodCreated(UUID.randomUUID().toString(), cluster, Instant.now(), cluster + "-jm-0",
                        PodRole.JOB_MANAGER, null, "node-a"));
                assertThat(lines).anyMatch(line -> line.startsWith("data:") && line.contains(cluster + "-jm-0"));
            });
            given().contentType(ContentType.JSON).header("Authorization", token())
                    .body("{\"requestId\":\"r-1\",\"count\":1}")
                    .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(202);
            Clusters.write(companion, new PodReady(UUID.randomUUID().toString(), cluster, Instant.now(), pod,
                    PodRole.TASK_MANAGER, "node-b", "10.0.0.2:6122"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lines)
                    .anyMatch(line -> line.contains("\"name\":\"" + pod + "\"") && line.contains("\"status\":\"PENDING\"")
                            && line.contains("\"requestId\":\"r-1\""))
                    .anyMatch(line -> line.contains("\"name\":\"" + pod + "\"") && line.contains("\"status\":\"READY\"")
                            && line.contains("\"nodeName\":\"node-b\"")));
        } finally {
            subscription.cancel(true);
        }
    }

    @Test
    void theApiIsDescribedInOpenApiAndTheServiceReportsHealth() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/clusters/{clusterId}/resource-requests"))
                .body(containsString("/api/v1/clusters/{clusterId}/replay"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'resource-scheduler' }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'resource-scheduler-workers' }.status", equalTo("UP"));
    }

    @Test
    void aTokenOfAnotherClusterIsForbiddenAndNoTokenIsUnauthorized() {
        created(0, 10, 300);
        String otherClustersToken = "Bearer " + TOKENS.issue(Clusters.newId());
        given().contentType(ContentType.JSON).header("Authorization", otherClustersToken)
                .body("{\"requestId\":\"r-1\",\"count\":1}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster)
                .then().statusCode(403).contentType("application/problem+json")
                .body("title", equalTo("Token not valid for this cluster"));
        given().contentType(ContentType.JSON).body("{\"requestId\":\"r-1\",\"count\":1}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster)
                .then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", otherClustersToken).get("/api/v1/clusters/{id}/pods", cluster).then().statusCode(403);
        // The caller first, then the input: without a token, a request that breaks every rule learns only that it needs one.
        given().contentType(ContentType.JSON).body("{\"requestId\":\"r 1\",\"count\":0}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"podName\":\"\"}")
                .post("/api/v1/clusters/{id}/releases", "NOT_AN_ID").then().statusCode(401);
        given().get("/api/v1/clusters/{id}/decisions?limit=0", cluster).then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"warmPool\":-1}").post("/api/v1/clusters/{id}/replay", cluster).then().statusCode(401);
        // Bodies are read after the caller is checked: one that is not even JSON, or of the wrong shape, is a 401 too.
        for (String body : List.of("{\"requestId\":", "[1,2]", "{\"count\":\"x\",\"surprise\":true}")) {
            given().contentType(ContentType.JSON).body(body).post("/api/v1/clusters/{id}/resource-requests", cluster).then()
                    .statusCode(401).contentType("application/problem+json");
            given().contentType(ContentType.JSON).header("Authorization", otherClustersToken).body(body)
                    .post("/api/v1/clusters/{id}/releases", cluster).then().statusCode(403);
            given().contentType(ContentType.JSON).body(body).post("/api/v1/clusters/{id}/replay", cluster).then().statusCode(401);
        }
        // With the cluster's own token the same body is read, and refused for what it is.
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TOKENS.issue(cluster)).body("{\"requestId\":")
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(400);
    }

    @Test
    void aClustersRevokedTokensAreRefusedOnceTheRevocationIsReadAndItsNewOnesAccepted() {
        created(0, 10, 300);
        String other = Clusters.newId();
        given().header("Authorization", token()).get("/api/v1/clusters/{id}/pods", cluster).then().statusCode(200);

        Clusters.write(companion, new TokensRevoked(UUID.randomUUID().toString(), cluster, Instant.now(), 1, "leaked"));

        String request = "{\"requestId\":\"r-after\",\"count\":1}";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().contentType(ContentType.JSON)
                .header("Authorization", token()).body(request).post("/api/v1/clusters/{id}/resource-requests", cluster)
                .then().statusCode(403).contentType("application/problem+json").body("detail", containsString("revoked")));
        given().header("Authorization", reader()).get("/api/v1/clusters/{id}/decisions", cluster).then().statusCode(403);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TOKENS.issue(cluster, 1)).body(request)
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(202);
        given().header("Authorization", "Bearer " + TOKENS.issueReader(cluster, 1)).get("/api/v1/clusters/{id}/decisions", cluster)
                .then().statusCode(200);
        // No other cluster is touched, and the operator still reads this one.
        given().header("Authorization", "Bearer " + TOKENS.issueReader(other)).get("/api/v1/clusters/{id}/pods", other).then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + OPERATOR).get("/api/v1/clusters/{id}/decisions", cluster).then().statusCode(200);
    }

    @Test
    void peopleReadAClustersDecisionsAndStateWithItsReaderTokenOnly() {
        created(0, 10, 300);
        await().atMost(Duration.ofSeconds(30)).until(() -> !decided().isEmpty());
        String path = "/api/v1/clusters/{id}/decisions";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().header("Authorization", reader()).get(path, cluster).then().statusCode(200).body("size()", is(decided().size())));
        given().header("Authorization", token()).get(path, cluster).then().statusCode(200);
        given().header("Authorization", "Bearer " + OPERATOR).get(path, cluster).then().statusCode(200);
        given().get(path, cluster).then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("reader token"));
        String othersReader = "Bearer " + TOKENS.issueReader(Clusters.newId());
        given().header("Authorization", othersReader).get(path, cluster).then().statusCode(403)
                .contentType("application/problem+json").body("title", equalTo("Token does not read this cluster"));
        given().header("Authorization", othersReader).get("/api/v1/clusters/{id}/state", cluster).then().statusCode(403);
        given().contentType(ContentType.JSON).header("Authorization", othersReader).body("{}")
                .post("/api/v1/clusters/{id}/replay", cluster).then().statusCode(403);
        // A reader token reads the pods too (the CLI shows them); it never asks for TaskManagers.
        given().header("Authorization", reader()).get("/api/v1/clusters/{id}/pods", cluster).then().statusCode(200);
        given().header("Authorization", othersReader).get("/api/v1/clusters/{id}/pods", cluster).then().statusCode(403);
        // Every endpoint holds ids to the one grammar, the operator's reads included.
        given().header("Authorization", "Bearer " + OPERATOR).get("/api/v1/clusters/{id}/state", "Not_A_Cluster").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("clusterId"));
        given().header("Authorization", "Bearer " + OPERATOR).get("/api/v1/clusters/{id}/decisions", "x".repeat(64)).then()
                .statusCode(400).body("errors.field", hasItem("clusterId"));
        given().contentType(ContentType.JSON).header("Authorization", reader()).body("{\"requestId\":\"r-1\",\"count\":1}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(403);
    }

    @Test
    void anInvalidRequestNamesTheField() {
        given().contentType(ContentType.JSON).header("Authorization", token())
                .body("{\"requestId\":\"r 1\",\"count\":0}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("count"))
                .body("errors.field", hasItem("requestId"));
        given().contentType(ContentType.JSON).header("Authorization", token())
                .body("{\"requestId\":\"r-1\",\"count\":\"many\"}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("count"));
        // Query parameters: a number out of range or not a number names the parameter (JAX-RS alone answered a bare 404).
        given().header("Authorization", reader()).get("/api/v1/clusters/{id}/decisions?limit=0", cluster).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("limit"));
        given().header("Authorization", reader()).get("/api/v1/clusters/{id}/decisions?offset=first", cluster).then().statusCode(400)
                .body("errors[0].field", equalTo("offset"));
        given().contentType(ContentType.JSON).header("Authorization", reader()).body("{\"warmPool\":-1}")
                .post("/api/v1/clusters/{id}/replay", cluster).then().statusCode(400).body("errors[0].field", equalTo("warmPool"));
        // A misspelt knob is named, not ignored (a what-if that silently kept the recorded value would mislead).
        given().contentType(ContentType.JSON).header("Authorization", reader()).body("{\"idleTimeout\":5}")
                .post("/api/v1/clusters/{id}/replay", cluster).then().statusCode(400)
                .body("errors[0].field", equalTo("idleTimeout")).body("errors[0].message", equalTo("unknown field"));
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicAndProcessingGoesOn() {
        ConsumerTask<String, byte[]> deadLetters = Clusters.watch(companion, Topics.DEAD_LETTER);
        try {
            companion.produce(String.class, byte[].class).fromRecords(
                    new ProducerRecord<>(Topics.RESOURCES, cluster, "{\"type\":\"PodReady\",\"podName\":".getBytes(StandardCharsets.UTF_8)))
                    .awaitCompletion();
            created(0, 10, 300);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Clusters.recordsOf(deadLetters, cluster))
                    .singleElement().satisfies(record -> {
                        assertThat(EventRecords.text(record.headers(), CloudEventHeaders.DEAD_LETTER_REASON)).startsWith("MALFORMED: not JSON");
                        assertThat(EventRecords.text(record.headers(), CloudEventHeaders.DEAD_LETTER_ORIGIN)).startsWith(Topics.RESOURCES + "/");
                        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"PodReady\",\"podName\":");
                    }));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(decided()).filteredOn(ProvisionPod.class::isInstance).hasSize(1));
        } finally {
            deadLetters.stop();
        }
    }

    @Test
    void aReplayReproducesThePublishedDecisionsAndAnswersAWhatIf() {
        created(2, 10, 300);
        given().contentType(ContentType.JSON).header("Authorization", token())
                .body("{\"requestId\":\"r-1\",\"count\":3}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> decided().size() >= 6);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().contentType(ContentType.JSON).header("Authorization", reader()).body("{\"warmPool\":0}")
                        .post("/api/v1/clusters/{id}/replay", cluster)
                        .then().statusCode(200)
                        .body("reproduced", is(true))
                        .body("whatIf.policy", equalTo("warm pool 0"))
                        .body("recorded.decisionsByType.ProvisionPod", is(6)));
        given().contentType(ContentType.JSON).header("Authorization", reader()).body("{\"warmPool\":-1}")
                .post("/api/v1/clusters/{id}/replay", cluster)
                .then().statusCode(400).body("errors[0].field", equalTo("warmPool"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + OPERATOR).body("{}")
                .post("/api/v1/clusters/{id}/replay", Clusters.newId()).then().statusCode(404);
    }

    @Test
    void aReplayBeyondTheLimitIsAnswered429WithRetryAfterAndTheNextOneRuns() {
        created(0, 10, 300);
        await().atMost(Duration.ofSeconds(30)).until(() -> !decided().isEmpty()); // the JobManager's ProvisionPod
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().header("Authorization", reader())
                .get("/api/v1/clusters/{id}/state", cluster).then().statusCode(200));

        // Every permit held, as by replays still running: the next one is turned away at once, not queued.
        List<ConcurrencyLimit.Permit> running = new ArrayList<>();
        try {
            while (replays.limit().available() > 0) {
                running.add(replays.limit().enter());
            }
            given().contentType(ContentType.JSON).header("Authorization", reader()).body("{}")
                    .post("/api/v1/clusters/{id}/replay", cluster)
                    .then().statusCode(429).contentType("application/problem+json").header("Retry-After", "5")
                    .body("title", equalTo("Too many replays at once"))
                    .body("detail", containsString(running.size() + " replays are running"));
        } finally {
            running.forEach(ConcurrencyLimit.Permit::close);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().contentType(ContentType.JSON)
                .header("Authorization", reader()).body("{}")
                .post("/api/v1/clusters/{id}/replay", cluster).then().statusCode(200).body("reproduced", is(true)));
        assertThat(replays.limit().available()).isEqualTo(2);
    }

    @TestHTTPResource("/")
    URL serviceUrl;

    /**
     * Generated from the service's OpenAPI document: every field of a resource request, a release and a replay sent wrong in
     * each way that is wrong whatever it means is a 400 naming it; and none became an event: the one good request sent
     * after them is the only thing decided.
     */
    @Test
    void everyFieldSentWrongIsRefusedNamingItAndNothingIsPublished() throws Exception {
        created(0, 10, 300);
        JsonNode openApi = OpenApiDocument.of(serviceUrl.toString());
        ObjectMapper json = new ObjectMapper();
        String clusterUrl = serviceUrl.toString().replaceAll("/$", "") + "/api/v1/clusters/" + cluster;
        String path = "/api/v1/clusters/{clusterId}";
        List<String> failures = new ArrayList<>();
        List<BadInputs.Case> requests = BadInputs.cases(openApi, "POST", path + "/resource-requests",
                (ObjectNode) json.readTree("{\"requestId\":\"r-bad\",\"count\":1,\"taskManager\":{\"cpu\":1,\"memoryMb\":1024,\"diskMb\":0}}"));
        failures.addAll(BadInputs.failures(clusterUrl + "/resource-requests", "POST", Map.of("Authorization", token()), requests));
        List<BadInputs.Case> releases = BadInputs.cases(openApi, "POST", path + "/releases",
                (ObjectNode) json.readTree("{\"podName\":\"" + cluster + "-tm-9\",\"reason\":\"idle\"}"));
        failures.addAll(BadInputs.failures(clusterUrl + "/releases", "POST", Map.of("Authorization", token()), releases));
        List<BadInputs.Case> replays = BadInputs.cases(openApi, "POST", path + "/replay",
                (ObjectNode) json.readTree("{\"warmPool\":1,\"idleTimeoutSeconds\":30,\"maxTaskManagers\":4}"));
        failures.addAll(BadInputs.failures(clusterUrl + "/replay", "POST", Map.of("Authorization", reader()), replays));
        List<BadInputs.QueryCase> pages = BadInputs.queryCases(openApi, "GET", path + "/decisions");
        failures.addAll(BadInputs.queryFailures(clusterUrl + "/decisions", "GET", Map.of("Authorization", reader()), Map.of(), pages));
        assertThat(requests.size() + releases.size() + replays.size() + pages.size()).as("cases generated").isGreaterThan(50);
        assertThat(failures).as("bad inputs not answered as they should be").isEmpty();

        given().contentType(ContentType.JSON).header("Authorization", token()).body("{\"requestId\":\"r-good\",\"count\":1}")
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> decided().stream()
                .anyMatch(decision -> decision instanceof ProvisionPod provision && "r-good".equals(provision.requestId())));
        assertThat(decided()).as("decisions for requests: the good one only").filteredOn(decision -> decision instanceof ProvisionPod
                provision && provision.requestId() != null).extracting(decision -> ((ProvisionPod) decision).requestId())
                .containsExactly("r-good");
    }

    /** Generated from the service's OpenAPI routes: a new endpoint without a check of its caller fails here. */
    @Test
    void everyRouteRefusesACallerWithoutAToken() throws Exception {
        EveryRouteLocked.check(serviceUrl);
    }
}
