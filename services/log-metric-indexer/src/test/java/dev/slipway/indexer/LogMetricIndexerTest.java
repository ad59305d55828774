package dev.slipway.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.contracts.telemetry.MetricSample;
import dev.slipway.indexer.messaging.IndexerRuntime;
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
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(IndexDirTestResource.class)
class LogMetricIndexerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ClusterTokens TOKENS = new ClusterTokens("test-secret-of-enough-length");
    /** slipway.indexer.operator-token of the test profile: reads every cluster. */
    private static final String OPERATOR = "test-operator-token-0123";

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @TestHTTPResource("/")
    URL root;

    @Inject
    IndexerRuntime runtime;

    @Test
    void aRecordIsSearchableOnceAndStaysAfterItsPodIsDeleted() {
        String cluster = TestEvents.newClusterId();
        LogRecord record = TestEvents.log(cluster, Instant.now(), "INFO", "Checkpoint 42 of job demo completed in 118 ms");
        LogRecord other = TestEvents.log(cluster, Instant.now(), "INFO", "Unrelated line");
        // The agent re-sends a batch after a kill with the same ids: the copies must not show up.
        TestEvents.write(companion, record, record, other, record);
        await().atMost(WAIT).untilAsserted(() -> asOperator().queryParam("clusterId", cluster).get("/api/v1/logs").then()
                .statusCode(200).body("total", equalTo(2)));
        asOperator().queryParam("clusterId", cluster).queryParam("q", "checkpoint completed").get("/api/v1/logs").then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("records[0].eventId", equalTo(record.eventId()))
                .body("records[0].message", equalTo(record.message()))
                .body("records[0].podName", equalTo(cluster + "-tm-0"));
        TestEvents.write(companion, record);
        TestEvents.write(companion, new PodDeleted(UUID.randomUUID().toString(), cluster, Instant.now(), cluster + "-tm-0"));
        LogRecord marker = TestEvents.log(cluster, Instant.now(), "INFO", "marker after the pod was deleted");
        TestEvents.write(companion, marker);
        await().atMost(WAIT).untilAsserted(() -> asOperator().queryParam("pod", cluster + "-tm-0").get("/api/v1/logs").then()
                .body("total", equalTo(3)).body("records.eventId", hasItem(record.eventId())));
    }

    @Test
    void aStackTraceIsOneRecordFoundByAnyOfItsFrames() {
        String cluster = TestEvents.newClusterId();
        String trace = "Task failed\njava.lang.IllegalStateException: buffer pool destroyed\n"
                + "\tat org.apache.flink.runtime.io.network.buffer.LocalBufferPool.requestMemorySegment(LocalBufferPool.java:381)\n"
                + "\tat org.apache.flink.streaming.runtime.tasks.StreamTask.invoke(StreamTask.java:940)";
        TestEvents.write(companion, TestEvents.log(cluster, Instant.now(), "ERROR", trace));
        await().atMost(WAIT).untilAsserted(() -> asOperator().queryParam("clusterId", cluster).queryParam("q", "StreamTask.java")
                .get("/api/v1/logs").then().body("total", equalTo(1)).body("records[0].message", equalTo(trace)));
        asOperator().queryParam("clusterId", cluster).queryParam("q", "java.lang.IllegalStateException").get("/api/v1/logs").then()
                .body("total", equalTo(1)).body("levels.ERROR", equalTo(1));
    }

    @Test
    void pagesGoNewestFirstWithCountsByLevel() {
        String cluster = TestEvents.newClusterId();
        Instant start = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String level = i < 10 ? "INFO" : i < 20 ? "WARN" : "ERROR";
            records.add(TestEvents.log(cluster, start.plusSeconds(i), level, "line " + i));
        }
        TestEvents.write(companion, records.toArray(LogRecord[]::new));
        await().atMost(WAIT).untilAsserted(() -> asOperator().queryParam("clusterId", cluster).get("/api/v1/logs").then()
                .body("total", equalTo(25)));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 3; page++) {
            var request = asOperator().queryParam("clusterId", cluster).queryParam("limit", 10);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath body = request.get("/api/v1/logs").then().statusCode(200)
                    .body("levels.INFO", equalTo(10)).body("levels.WARN", equalTo(10)).body("levels.ERROR", equalTo(5))
                    .body("levels.DEBUG", equalTo(0))
                    .extract().jsonPath();
            seen.addAll(body.getList("records.message"));
            cursor = body.getString("nextCursor");
        }
        List<String> newestFirst = new ArrayList<>();
        for (int i = 24; i >= 0; i--) {
            newestFirst.add("line " + i);
        }
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        assertThat(cursor).isNull();

        asOperator().queryParam("clusterId", cluster).queryParam("level", "warn,ERROR").queryParam("limit", 3).get("/api/v1/logs")
                .then().body("total", equalTo(15)).body("levels.INFO", equalTo(10))
                .body("records.message", equalTo(List.of("line 24", "line 23", "line 22")));
        asOperator().queryParam("clusterId", cluster).queryParam("from", start.plusSeconds(5).toString())
                .queryParam("to", String.valueOf(start.plusSeconds(8).toEpochMilli())).get("/api/v1/logs")
                .then().body("records.message", equalTo(List.of("line 7", "line 6", "line 5")));
    }

    @Test
    void liveTailDeliversNewRecordsAtTheLevelAndAbove() {
        String cluster = TestEvents.newClusterId();
        URI uri = URI.create(root.toString() + "api/v1/logs/stream?clusterId=" + cluster + "&level=WARN&access_token="
                + TOKENS.issueReader(cluster));
        try (TestEvents.Stream stream = new TestEvents.Stream(uri)) {
            // Live once a record written after subscribing shows up; the DEBUG one goes first each time, in the same partition.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                TestEvents.write(companion, TestEvents.log(cluster, Instant.now(), "DEBUG", "quiet detail"),
                        TestEvents.log(cluster, Instant.now(), "ERROR", "loud failure"));
                assertThat(stream.data()).anyMatch(line -> line.contains("loud failure"));
            });
            TestEvents.write(companion, TestEvents.log(cluster, Instant.now(), "WARN", "a warning"),
                    TestEvents.log(TestEvents.newClusterId(), Instant.now(), "ERROR", "another cluster's failure"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(stream.data()).anyMatch(line -> line.contains("a warning")));
            assertThat(stream.data()).noneMatch(line -> line.contains("quiet detail"))
                    .noneMatch(line -> line.contains("another cluster"));
        }
    }

    @Test
    void metricSamplesAreQueryableAndRolledUpWithAge() {
        String cluster = TestEvents.newClusterId();
        Instant second = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            TestEvents.write(companion, new MetricSample(UUID.randomUUID().toString(), cluster, second.plusMillis(100L * i),
                    "lastCheckpointDuration", Map.of("job", "j1", "task", "a"), 10 * (i + 1)));
        }
        TestEvents.write(companion, new MetricSample(UUID.randomUUID().toString(), cluster, second, "lastCheckpointDuration",
                Map.of("job", "j1", "task", "b"), 999));
        var query = (java.util.function.Supplier<JsonPath>) () -> asOperator().queryParam("name", "lastCheckpointDuration")
                .queryParam("clusterId", cluster).queryParam("task", "a")
                .queryParam("from", second.minusSeconds(60).toString()).queryParam("to", second.plusSeconds(60).toString())
                .queryParam("step", "100ms").get("/api/v1/metrics").then().statusCode(200).extract().jsonPath();
        await().atMost(WAIT).untilAsserted(() -> assertThat(query.get().getList("series[0].points.count", Integer.class)
                .stream().mapToInt(Integer::intValue).sum()).isEqualTo(5));
        // Raw 2 s, rollups of 1 s in the test profile: the five samples become one bucket, even at a 100 ms step.
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath answer = query.get();
            assertThat(answer.getList("series")).hasSize(1);
            assertThat(answer.getString("series[0].tags.task")).isEqualTo("a");
            assertThat(answer.getList("series[0].points")).hasSize(1);
            assertThat(answer.getInt("series[0].points[0].count")).isEqualTo(5);
            assertThat(answer.getDouble("series[0].points[0].min")).isEqualTo(10.0);
            assertThat(answer.getDouble("series[0].points[0].max")).isEqualTo(50.0);
            assertThat(answer.getDouble("series[0].points[0].avg")).isEqualTo(30.0);
            assertThat(Instant.parse(answer.getString("series[0].points[0].time"))).isEqualTo(second);
        });
        asOperator().queryParam("name", "lastCheckpointDuration").queryParam("clusterId", cluster).queryParam("step", "1m")
                .get("/api/v1/metrics").then().statusCode(200).body("series.size()", equalTo(2));
    }

    @Test
    void clusterEventsRelayDecisionsOfThatClusterOnly() {
        String cluster = TestEvents.newClusterId();
        String other = TestEvents.newClusterId();
        URI uri = URI.create(root.toString() + "api/v1/clusters/" + cluster + "/events?access_token=" + TOKENS.issueReader(cluster));
        try (TestEvents.Stream stream = new TestEvents.Stream(uri)) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                TestEvents.write(companion, new DeletePod(UUID.randomUUID().toString(), other, Instant.now(), "cause-x",
                        "idle for 30 s (other)", other + "-tm-1", PodRole.TASK_MANAGER));
                TestEvents.write(companion, new DeletePod(UUID.randomUUID().toString(), cluster, Instant.now(), "cause-1",
                        "idle for 30 s; releasing", cluster + "-tm-1", PodRole.TASK_MANAGER));
                assertThat(stream.data()).anyMatch(line -> line.contains("\"type\":\"DeletePod\"")
                        && line.contains("\"topic\":\"" + Topics.DECISIONS + "\"") && line.contains("idle for 30 s; releasing"));
            });
            assertThat(stream.data()).noneMatch(line -> line.contains(other));
        }
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicAndIndexingGoesOn() {
        String cluster = TestEvents.newClusterId();
        ConsumerTask<String, byte[]> deadLetters = TopicWatch.watch(companion, Topics.DEAD_LETTER);
        try {
            TestEvents.write(companion, new ProducerRecord<>(Topics.LOGS, cluster, "{not json".getBytes(StandardCharsets.UTF_8)));
            MetricSample misplaced = new MetricSample(UUID.randomUUID().toString(), cluster, Instant.now(), "x", Map.of(), 1);
            ProducerRecord<String, byte[]> onLogs = EventRecords.toRecord(misplaced, "/test", null);
            TestEvents.write(companion, new ProducerRecord<>(Topics.LOGS, null, cluster, onLogs.value(), onLogs.headers()));
            LogRecord good = TestEvents.log(cluster, Instant.now(), "INFO", "still indexing");
            TestEvents.write(companion, good);

            await().atMost(WAIT).untilAsserted(() -> {
                List<String> reasons = TopicWatch.recordsOf(deadLetters, cluster).stream()
                        .map(record -> EventRecords.text(record.headers(), CloudEventHeaders.DEAD_LETTER_REASON)).toList();
                assertThat(reasons).hasSize(2);
                assertThat(reasons.get(0)).startsWith("MALFORMED: not JSON");
                assertThat(reasons.get(1)).startsWith("WRONG_TOPIC: a MetricSample on " + Topics.LOGS);
            });
            ConsumerRecord<String, byte[]> first = TopicWatch.recordsOf(deadLetters, cluster).get(0);
            assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
            assertThat(EventRecords.text(first.headers(), CloudEventHeaders.DEAD_LETTER_ORIGIN)).startsWith(Topics.LOGS + "/");
            await().atMost(WAIT).untilAsserted(() -> asOperator().queryParam("clusterId", cluster).get("/api/v1/logs").then()
                    .body("total", equalTo(1)).body("records[0].message", equalTo("still indexing")));
        } finally {
            deadLetters.stop();
        }
    }

    @Test
    void badParametersAreProblemsNamingTheField() {
        problem(asOperator().queryParam("from", "yesterday").get("/api/v1/logs"), "from");
        problem(asOperator().queryParam("to", "2026-13-01T00:00:00Z").get("/api/v1/logs"), "to");
        problem(asOperator().queryParam("limit", "0").get("/api/v1/logs"), "limit");
        problem(asOperator().queryParam("cursor", "bm90LWEtY3Vyc29y").get("/api/v1/logs"), "cursor");
        problem(asOperator().queryParam("q", "failed AND (").get("/api/v1/logs"), "q");
        problem(asOperator().queryParam("level", "LOUD").get("/api/v1/logs"), "level");
        problem(asOperator().queryParam("level", ",,,").get("/api/v1/logs"), "level");
        problem(asOperator().get("/api/v1/logs/stream"), "clusterId");
        problem(asOperator().get("/api/v1/metrics"), "name");
        problem(asOperator().queryParam("name", "x").queryParam("step", "fast").get("/api/v1/metrics"), "step");
        problem(asOperator().queryParam("name", "x").queryParam("step", "1ms").get("/api/v1/metrics"), "step");
        problem(asOperator().queryParam("name", "x").queryParam("from", "2026-11-30T10:00:00Z")
                .queryParam("to", "2026-11-30T09:00:00Z").get("/api/v1/metrics"), "to");
        // Near the ends of what the types hold: answered, never an overflow's 500.
        problem(asOperator().queryParam("name", "x").queryParam("step", "1000000000d").get("/api/v1/metrics"), "step");
        problem(asOperator().queryParam("name", "x").queryParam("step", "9223372036854775807d").get("/api/v1/metrics"), "step");
        problem(asOperator().queryParam("name", "x").queryParam("from", "-1000000000-01-01T00:00:00Z").get("/api/v1/metrics"), "from");
        problem(asOperator().queryParam("name", "x").queryParam("to", "+1000000000-12-31T23:59:59Z").get("/api/v1/metrics"), "to");
        problem(asOperator().queryParam("to", "9223372036854775807").get("/api/v1/logs"), "to");
        problem(asOperator().queryParam("limit", "99999999999").get("/api/v1/logs"), "limit");
    }

    @Test
    void aRestartKeepsTheIndexAndRedeliveryAddsNoDuplicates() {
        String cluster = TestEvents.newClusterId();
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.add(TestEvents.log(cluster, Instant.now(), "INFO", "before restart " + i));
        }
        TestEvents.write(companion, records.toArray(LogRecord[]::new));
        await().atMost(WAIT).untilAsserted(() -> asOperator().queryParam("clusterId", cluster).get("/api/v1/logs").then()
                .body("total", equalTo(20)));

        runtime.stop();
        runtime.start();
        // Straight after reopening, before anything new is read: what was indexed is on disk.
        asOperator().queryParam("clusterId", cluster).queryParam("q", "restart").get("/api/v1/logs").then()
                .statusCode(200).body("total", equalTo(20));

        // The agent re-sends them all after its own restart; then a new line.
        TestEvents.write(companion, records.toArray(LogRecord[]::new));
        TestEvents.write(companion, TestEvents.log(cluster, Instant.now(), "INFO", "after restart"));
        await().atMost(WAIT).untilAsserted(() -> asOperator().queryParam("clusterId", cluster).queryParam("q", "after")
                .get("/api/v1/logs").then().body("total", equalTo(1)));
        asOperator().queryParam("clusterId", cluster).get("/api/v1/logs").then().body("total", equalTo(21));
        asOperator().get("/api/v1/logs/partitions").then().statusCode(200).body("name", hasItem(startsWith("20")));
        asOperator().get("/q/health/ready").then().statusCode(200);
        asOperator().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'indexer-workers' }.status", equalTo("UP"));
    }

    @Test
    void theConsolesOriginMayReadAndAnotherMayNot() {
        // The web console is a page of job-submission (:8083): its browser calls here across origins.
        asOperator().header("Origin", "http://localhost:8083").get("/api/v1/logs/partitions").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:8083");
        RestAssured.given().header("Origin", "http://127.0.0.1:8083").header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .options("/api/v1/logs").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://127.0.0.1:8083")
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("authorization"));
        asOperator().header("Origin", "http://elsewhere.example").get("/api/v1/logs/partitions").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void aClustersReaderTokenReadsThatClusterOnlyAndOnlyTheOperatorReadsAcrossClusters() {
        String cluster = TestEvents.newClusterId();
        String other = TestEvents.newClusterId();
        TestEvents.write(companion, TestEvents.log(cluster, Instant.now(), "INFO", "mine alone"),
                TestEvents.log(other, Instant.now(), "INFO", "not for the first tenant"));
        String reader = "Bearer " + TOKENS.issueReader(cluster);
        await().atMost(WAIT).untilAsserted(() -> RestAssured.given().header("Authorization", reader)
                .queryParam("clusterId", cluster).get("/api/v1/logs").then().statusCode(200)
                .body("records.message", equalTo(List.of("mine alone"))));

        RestAssured.given().header("Authorization", reader).queryParam("clusterId", other).get("/api/v1/logs").then()
                .statusCode(403).contentType("application/problem+json").body("title", equalTo("Token does not read this cluster"));
        RestAssured.given().header("Authorization", reader).queryParam("q", "tenant").get("/api/v1/logs").then()
                .statusCode(403).body("detail", startsWith("give clusterId"));
        RestAssured.given().queryParam("clusterId", cluster).get("/api/v1/logs").then().statusCode(401)
                .contentType("application/problem+json");
        RestAssured.given().header("Authorization", reader).queryParam("name", "x").queryParam("clusterId", other)
                .get("/api/v1/metrics").then().statusCode(403);
        RestAssured.given().header("Authorization", reader).queryParam("name", "x").get("/api/v1/metrics").then().statusCode(403);
        RestAssured.given().header("Authorization", reader).get("/api/v1/logs/partitions").then().statusCode(403);
        RestAssured.given().queryParam("access_token", TOKENS.issueReader(cluster)).queryParam("clusterId", other)
                .get("/api/v1/logs/stream").then().statusCode(403);
        RestAssured.given().get("/api/v1/clusters/{id}/events", cluster).then().statusCode(401);
        RestAssured.given().header("Authorization", reader).get("/api/v1/clusters/{id}/events", other).then().statusCode(403);
        await().atMost(WAIT).untilAsserted(() -> asOperator().queryParam("q", "tenant").get("/api/v1/logs").then()
                .statusCode(200).body("records.message", hasItem("not for the first tenant")));
    }

    private static RequestSpecification asOperator() {
        return RestAssured.given().header("Authorization", "Bearer " + OPERATOR);
    }

    private static void problem(io.restassured.response.Response response, String field) {
        response.then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo(field));
    }

    @TestHTTPResource("/")
    URL serviceUrl;

    /**
     * Generated from the service's OpenAPI document: each query parameter of a log search and a metric query sent wrong in
     * each way its schema says is wrong (a number that is none or out of range, a time that is none, an id outside the
     * grammar, a NUL or control character) is a 400 naming it.
     */
    @Test
    void everyQueryParameterSentWrongIsRefusedNamingIt() throws Exception {
        JsonNode openApi = OpenApiDocument.of(serviceUrl.toString());
        String base = serviceUrl.toString().replaceAll("/$", "");
        Map<String, String> operator = Map.of("Authorization", "Bearer " + OPERATOR);
        List<BadInputs.QueryCase> logs = BadInputs.queryCases(openApi, "GET", "/api/v1/logs");
        List<BadInputs.QueryCase> metrics = BadInputs.queryCases(openApi, "GET", "/api/v1/metrics");
        List<String> failures = new ArrayList<>(BadInputs.queryFailures(base + "/api/v1/logs", "GET", operator, Map.of(), logs));
        failures.addAll(BadInputs.queryFailures(base + "/api/v1/metrics", "GET", operator, Map.of("name", "numRestarts"), metrics));
        assertThat(logs.size() + metrics.size()).as("cases generated").isGreaterThan(30);
        assertThat(failures).as("bad query parameters not answered as they should be").isEmpty();
    }

    /** Generated from the service's OpenAPI routes: a new endpoint without a check of its caller fails here. */
    @Test
    void everyRouteRefusesACallerWithoutAToken() throws Exception {
        EveryRouteLocked.check(serviceUrl);
    }
}
