package dev.slipway.indexer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.contracts.jobs.JobStatusChanged;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.contracts.telemetry.MetricSample;
import dev.slipway.testkit.ConsoleContract;
import dev.slipway.testkit.ConsoleContract.Interaction;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.OpenApiDocument;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The indexer's side of the web console's contract ({@code contracts/src/test/resources/console-contract/log-metric-indexer.json},
 * matched with console.js by job-submission's {@code ConsoleScriptContractTest}): the console's requests and streams, made
 * here against this service holding a cluster's logs, metrics and events, are answered with the recorded status and every
 * field the console reads; so are its refusals.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(IndexDirTestResource.class)
class ConsoleContractTest {

    private static final ClusterTokens TOKENS = new ClusterTokens("test-secret-of-enough-length");
    private static final ConsoleContract CONTRACT = ConsoleContract.load("log-metric-indexer");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The values of the console's log level select: every level, or one and those above it. */
    private static final String WARN_AND_ABOVE = "WARN,ERROR,FATAL";

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyInteractionOfTheConsoleIsMadeHere() {
        assertThat(CONTRACT.names()).containsExactlyInAnyOrder("job metric", "log search", "log tail", "cluster events");
    }

    @Test
    void jobMetric() throws Exception {
        String cluster = TestEvents.newClusterId();
        String flinkJobId = UUID.randomUUID().toString().replace("-", "");
        Instant now = Instant.now();
        for (String task : List.of("source", "sink")) {
            TestEvents.write(companion, new MetricSample(UUID.randomUUID().toString(), cluster, now.minusSeconds(90),
                    "numRecordsOutPerSecond", Map.of("job", flinkJobId, "task", task), 10), new MetricSample(UUID.randomUUID().toString(),
                    cluster, now, "numRecordsOutPerSecond", Map.of("job", flinkJobId, "task", task), 20));
        }
        Interaction interaction = CONTRACT.interaction("job metric");
        Map<String, String> query = interaction.query(Map.of("name", "numRecordsOutPerSecond", "clusterId", cluster, "job", flinkJobId));
        List<JsonNode> answers = new ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode answer = send(interaction, Map.of(), query, cluster, interaction.status());
            assertThat(answer.path("series").size()).isEqualTo(2);
            answers.clear();
            answers.add(answer);
        });
        assertThat(ConsoleContract.check(interaction, answers, OpenApiDocument.of(root.toString()))).isEmpty();
    }

    @Test
    void logSearch() throws Exception {
        String cluster = TestEvents.newClusterId();
        // One more line than the console's page: the first page has a cursor, which the console's "older lines" sends.
        Instant start = Instant.now().minusSeconds(300);
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            records.add(TestEvents.log(cluster, start.plusSeconds(i), i % 2 == 0 ? "WARN" : "ERROR", "checkpoint " + i + " declined"));
        }
        TestEvents.write(companion, records.toArray(LogRecord[]::new));
        Interaction interaction = CONTRACT.interaction("log search");
        Map<String, String> firstPage = new LinkedHashMap<>(Map.of("clusterId", cluster, "q", "checkpoint", "level", WARN_AND_ABOVE,
                "cursor", ""));
        List<JsonNode> answers = new ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode answer = send(interaction, Map.of(), interaction.query(firstPage), cluster, interaction.status());
            assertThat(answer.path("total").asInt()).isEqualTo(101);
            answers.clear();
            answers.add(answer);
        });
        Map<String, String> olderLines = new LinkedHashMap<>(firstPage);
        olderLines.put("cursor", answers.get(0).path("nextCursor").asText());
        JsonNode older = send(interaction, Map.of(), interaction.query(olderLines), cluster, interaction.status());
        assertThat(older.path("records").size()).isEqualTo(1);
        answers.add(older);
        assertThat(ConsoleContract.check(interaction, answers, OpenApiDocument.of(root.toString()))).isEmpty();
    }

    @Test
    void logTail() throws Exception {
        String cluster = TestEvents.newClusterId();
        Interaction interaction = CONTRACT.interaction("log tail");
        Map<String, String> query = interaction.query(Map.of("clusterId", cluster, "level", "WARN"));
        try (Stream stream = follow(interaction, Map.of(), query, cluster)) {
            // Live once a record written after subscribing shows up.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                TestEvents.write(companion, TestEvents.log(cluster, Instant.now(), "ERROR", "checkpoint expired"));
                assertThat(stream.data()).isNotEmpty();
            });
            assertThat(ConsoleContract.check(interaction, events(stream, interaction), OpenApiDocument.of(root.toString()))).isEmpty();
        }
    }

    @Test
    void clusterEvents() throws Exception {
        String cluster = TestEvents.newClusterId();
        Interaction interaction = CONTRACT.interaction("cluster events");
        try (Stream stream = follow(interaction, Map.of("clusterId", cluster), interaction.query(Map.of()), cluster)) {
            // What a cluster's feed shows: a job's status with its reason, a pod's failure, a scheduler's decision.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                Instant now = Instant.now();
                TestEvents.write(companion,
                        new JobStatusChanged(UUID.randomUUID().toString(), cluster, now, "job-1", 1, "f1", JobStatus.RECOVERING, null,
                                "JobManager " + cluster + "-jm-0 is being replaced"),
                        new PodFailed(UUID.randomUUID().toString(), cluster, now, cluster + "-tm-0", "OOMKilled", 137,
                                "the container ran out of memory"),
                        new DeletePod(UUID.randomUUID().toString(), cluster, now, "cause-1", "idle for 30 s; releasing",
                                cluster + "-tm-1", PodRole.TASK_MANAGER));
                assertThat(events(stream)).extracting(event -> event.path("type").asText())
                        .contains("JobStatusChanged", "PodFailed", "DeletePod");
            });
            assertThat(ConsoleContract.check(interaction, events(stream, interaction), OpenApiDocument.of(root.toString()))).isEmpty();
        }
    }

    @Test
    void refusalsAreProblemsAsTheConsoleReadsThem() throws Exception {
        String cluster = TestEvents.newClusterId();
        Interaction search = CONTRACT.interaction("log search");
        Map<String, String> query = Map.of("clusterId", cluster, "q", "", "level", "", "cursor", "");
        List<JsonNode> problems = new ArrayList<>();
        // The console's search with another cluster's reader token (a cluster selected meanwhile) ...
        problems.add(send(search, Map.of(), search.query(query), TestEvents.newClusterId(), 403));
        // ... and a refused parameter, the kind of problem that names its field.
        Map<String, String> loud = new LinkedHashMap<>(query);
        loud.put("level", "LOUD");
        problems.add(send(search, Map.of(), search.query(loud), cluster, 400));
        assertThat(ConsoleContract.check("problem", CONTRACT.problemReads(), Map.of(), problems, null, null)).isEmpty();
    }

    /** The console's request with the reader token of {@code readerOf} in the header; the answer, which has {@code status}. */
    private JsonNode send(Interaction interaction, Map<String, String> path, Map<String, String> query, String readerOf, int status)
            throws IOException {
        assertThat(interaction.auth()).isEqualTo("reader");
        Response answer = given().header("Authorization", "Bearer " + TOKENS.issueReader(readerOf)).queryParams(query)
                .request(interaction.method(), interaction.path(path));
        assertThat(answer.statusCode()).as("%s %s %s", interaction.method(), interaction.path(), query).isEqualTo(status);
        return JSON.readTree(answer.asString());
    }

    /** The console's stream, with the reader token as access_token (an EventSource sends no headers). */
    private Stream follow(Interaction interaction, Map<String, String> path, Map<String, String> query, String cluster) {
        assertThat(interaction.auth()).isEqualTo("reader-access-token");
        assertThat(interaction.method()).isEqualTo("GET");
        Map<String, String> parameters = new LinkedHashMap<>(query);
        parameters.put("access_token", TOKENS.issueReader(cluster));
        String search = parameters.entrySet().stream()
                .map(parameter -> parameter.getKey() + "=" + URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return new Stream(URI.create(root.toString().replaceAll("/$", "") + interaction.path(path) + "?" + search));
    }

    /** The data of the events that came, each one JSON object, once the stream answered the recorded status as a stream. */
    private static List<JsonNode> events(Stream stream, Interaction interaction) {
        assertThat(stream.status).as("status of %s", interaction.path()).containsExactly(interaction.status());
        assertThat(stream.contentType).singleElement().asString().startsWith("text/event-stream");
        return events(stream);
    }

    private static List<JsonNode> events(Stream stream) {
        return stream.data().stream().map(line -> {
            try {
                return JSON.readTree(line.substring("data:".length()).trim());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /** A server-sent event stream's status, content type and data lines as they arrive, until closed. */
    private static final class Stream implements AutoCloseable {
        final List<Integer> status = new CopyOnWriteArrayList<>();
        final List<String> contentType = new CopyOnWriteArrayList<>();
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> subscription;

        Stream(URI uri) {
            HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build();
            subscription = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
                status.add(response.statusCode());
                contentType.add(response.headers().firstValue("Content-Type").orElse(""));
                response.body().forEach(lines::add);
            });
        }

        List<String> data() {
            return lines.stream().filter(line -> line.startsWith("data:")).toList();
        }

        @Override
        public void close() {
            subscription.cancel(true);
        }
    }
}
