package dev.slipway.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's side of the driver's contract ({@code contracts/src/test/resources/driver-contract/}, written by Flink's
 * resource manager, {@code PlatformClientContractTest}): each recorded request, replayed against this service in the
 * recorded provider state, is answered with the recorded status and with at least what the driver reads.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class DriverContractTest {

    private static final ClusterTokens TOKENS = new ClusterTokens("test-secret-of-enough-length");
    private static final Path CONTRACT = Path.of("contracts", "src", "test", "resources", "driver-contract");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** The driver's request body of request-task-managers, for provider states that need a served request. */
    private static final String REQUEST_BODY = "{\"requestId\":\"a1b2c3d4-0\",\"count\":1}";

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @TestHTTPResource("/")
    URL root;

    private String cluster;

    /** One recorded interaction; {@code providerState} as written, the rest with this test's values in the placeholders. */
    private record Interaction(String providerState, JsonNode request, JsonNode response) {
    }

    @BeforeEach
    void newCluster() {
        cluster = Clusters.newId();
    }

    @Test
    void everyInteractionTheDriverRecordedIsReplayedHere() throws IOException {
        try (Stream<Path> files = Files.list(contractDirectory())) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json")))
                    .containsExactlyInAnyOrder("follow-pods.json", "list-pods.json", "release.json", "request-refused.json",
                            "request-task-managers.json");
        }
    }

    @Test
    void requestTaskManagers() {
        replay(load("request-task-managers"));
    }

    @Test
    void release() {
        replay(load("release"));
    }

    @Test
    void requestRefused() {
        replay(load("request-refused"));
    }

    @Test
    void listPods() {
        replay(load("list-pods"));
    }

    @Test
    void followPods() throws Exception {
        Interaction interaction = load("follow-pods");
        JsonNode request = interaction.request();
        HttpRequest.Builder stream = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + request.get("path").asText()))
                .method(request.get("method").asText(), HttpRequest.BodyPublishers.noBody());
        request.get("headers").fields().forEachRemaining(header -> stream.header(header.getKey(), header.getValue().asText()));
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> following = HttpClient.newHttpClient().sendAsync(stream.build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> {
                    statuses.add(response.statusCode());
                    response.body().forEach(lines::add);
                });
        try {
            inState(interaction.providerState(), lines);

            JsonNode recorded = interaction.response();
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(statuses).containsExactly(recorded.get("status").asInt());
                assertThat(unmatchedEvent(events(lines), recorded.get("events"))).as("recorded event not streamed in order").isNull();
            });
        } finally {
            following.cancel(true);
        }
    }

    /** Sends the recorded request until the answer matches (the read view follows the topics a moment behind). */
    private void replay(Interaction interaction) {
        inState(interaction.providerState(), List.of());
        JsonNode request = interaction.request();
        JsonNode recorded = interaction.response();
        await().atMost(PATIENCE).untilAsserted(() -> {
            Response answer = send(request);
            assertThat(answer.statusCode()).as("status of %s %s", request.get("method").asText(), request.get("path").asText())
                    .isEqualTo(recorded.get("status").asInt());
            if (recorded.has("body")) {
                assertThat(mismatch(JSON.readTree(answer.asString()), recorded.get("body"), "body")).isNull();
            }
        });
    }

    private Response send(JsonNode request) {
        // The driver's Content-Type exactly, without a charset added.
        RequestSpecification spec = given().config(RestAssured.config()
                .encoderConfig(EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)));
        request.get("headers").fields().forEachRemaining(header -> spec.header(header.getKey(), header.getValue().asText()));
        if (request.has("body")) {
            spec.body(request.get("body").toString());
        }
        return spec.request(request.get("method").asText(), request.get("path").asText());
    }

    /** The provider states the driver's contract names; {@code streamed} is the followed stream's lines, if any. */
    private void inState(String providerState, List<String> streamed) {
        switch (providerState) {
            case "an ELASTIC cluster" -> created(0);
            case "an ELASTIC cluster whose request a1b2c3d4-0 is served by pod {clusterId}-tm-0" -> {
                created(0);
                requestOneTaskManager();
                awaitPods(1);
            }
            case "an ELASTIC cluster with a warm pool of 1 whose request a1b2c3d4-0 is served, every pod ready" -> {
                created(1);
                requestOneTaskManager();
                awaitPods(2);
                ready(cluster + "-jm-0", PodRole.JOB_MANAGER);
                ready(cluster + "-tm-0", PodRole.TASK_MANAGER);
                ready(cluster + "-tm-1", PodRole.TASK_MANAGER);
            }
            case "an ELASTIC cluster, followed while its JobManager is created, then request a1b2c3d4-0 is served by pod "
                    + "{clusterId}-tm-0, which becomes ready and is released" -> {
                created(0);
                // The stream is live once a change made after it shows up: keep making the JobManager's until one does.
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    Clusters.write(companion, new PodCreated(UUID.randomUUID().toString(), cluster, Instant.now(), cluster + "-jm-0",
                            PodRole.JOB_MANAGER, null, "node-a"));
                    assertThat(streamed).anyMatch(line -> line.startsWith("data:") && line.contains(cluster + "-jm-0"));
                });
                requestOneTaskManager();
                ready(cluster + "-tm-0", PodRole.TASK_MANAGER);
                given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TOKENS.issue(cluster))
                        .body("{\"podName\":\"" + cluster + "-tm-0\",\"reason\":\"idle\"}")
                        .post("/api/v1/clusters/{id}/releases", cluster).then().statusCode(202);
            }
            default -> throw new AssertionError("the driver's contract names a provider state this test cannot set up: "
                    + providerState);
        }
    }

    private void created(int warmPool) {
        Clusters.write(companion, new ClusterSpecCreated(UUID.randomUUID().toString(), cluster, Instant.now(), 1,
                Clusters.elastic(warmPool, 10, 300)));
    }

    private void requestOneTaskManager() {
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TOKENS.issue(cluster)).body(REQUEST_BODY)
                .post("/api/v1/clusters/{id}/resource-requests", cluster).then().statusCode(202);
    }

    private void awaitPods(int taskManagers) {
        await().atMost(PATIENCE).untilAsserted(() -> given().header("Authorization", "Bearer " + TOKENS.issue(cluster))
                .get("/api/v1/clusters/{id}/pods", cluster).then().statusCode(200)
                .body("findAll { it.role == 'TASK_MANAGER' }.size()", is(taskManagers)));
    }

    private void ready(String pod, PodRole role) {
        Clusters.write(companion, new PodReady(UUID.randomUUID().toString(), cluster, Instant.now(), pod, role, "node-a", "10.0.0.1:6122"));
    }

    private Interaction load(String name) {
        try {
            String text = Files.readString(contractDirectory().resolve(name + ".json"));
            String providerState = JSON.readTree(text).path("providerState").asText();
            Map<String, String> placeholders = Map.of("{clusterId}", cluster, "{clusterToken}", TOKENS.issue(cluster),
                    "{otherClusterToken}", TOKENS.issue(Clusters.newId()));
            for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
                text = text.replace(placeholder.getKey(), placeholder.getValue());
            }
            JsonNode interaction = JSON.readTree(text);
            return new Interaction(providerState, interaction.get("request"), interaction.get("response"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository's root holds {@code contracts/}; tests run in the module's directory, two levels below. */
    private static Path contractDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(CONTRACT))) {
                return dir.resolve(CONTRACT);
            }
        }
        throw new IllegalStateException("no " + CONTRACT + " above " + Path.of("").toAbsolutePath());
    }

    private static List<JsonNode> events(List<String> lines) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("data:") && !line.substring("data:".length()).isBlank()) {
                events.add(JSON.readTree(line.substring("data:".length()).trim()));
            }
        }
        return events;
    }

    /** The first recorded event not found after the one before it, or null when all arrived in order. */
    private static String unmatchedEvent(List<JsonNode> streamed, JsonNode recorded) {
        int next = 0;
        for (JsonNode event : recorded) {
            while (next < streamed.size() && mismatch(streamed.get(next), event, "event") != null) {
                next++;
            }
            if (next == streamed.size()) {
                return event + " among " + streamed;
            }
            next++;
        }
        return null;
    }

    /**
     * Where the answer lacks what was recorded, or null: every recorded field with its value (a recorded null matches an
     * absent field), more fields allowed; each recorded array element matched by a different element, in any order.
     */
    private static String mismatch(JsonNode answer, JsonNode recorded, String where) {
        if (recorded.isObject()) {
            if (!answer.isObject()) {
                return where + ": expected an object, was " + answer;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = recorded.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = answer.get(field.getKey());
                if (field.getValue().isNull() && (value == null || value.isNull())) {
                    continue;
                }
                String inField = value == null ? where + "." + field.getKey() + ": missing in " + answer
                        : mismatch(value, field.getValue(), where + "." + field.getKey());
                if (inField != null) {
                    return inField;
                }
            }
            return null;
        }
        if (recorded.isArray()) {
            if (!answer.isArray()) {
                return where + ": expected an array, was " + answer;
            }
            List<JsonNode> unused = new ArrayList<>();
            answer.forEach(unused::add);
            for (JsonNode element : recorded) {
                JsonNode match = unused.stream().filter(candidate -> mismatch(candidate, element, where) == null).findFirst().orElse(null);
                if (match == null) {
                    return where + ": nothing matches " + element + " in " + answer;
                }
                unused.remove(match);
            }
            return null;
        }
        boolean same = recorded.isNumber() && answer.isNumber() ? recorded.decimalValue().compareTo(answer.decimalValue()) == 0
                : recorded.equals(answer);
        return same ? null : where + ": expected " + recorded + ", was " + answer;
    }
}
