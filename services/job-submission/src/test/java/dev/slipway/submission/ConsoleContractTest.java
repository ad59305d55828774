package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.uniqueName;
import static dev.slipway.submission.TestSupport.write;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.testkit.ConsoleContract;
import dev.slipway.testkit.ConsoleContract.Interaction;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.OpenApiDocument;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * job-submission's side of the web console's contract ({@code contracts/src/test/resources/console-contract/job-submission.json},
 * matched with console.js by {@link ConsoleScriptContractTest}): a console session (settings, a new cluster whose pods
 * come, a SQL job, each action its status offers) made against this service, every answer with the recorded status and
 * every field the console reads; so are its refusals.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TestingFlink.class)
class ConsoleContractTest {

    private static final ConsoleContract CONTRACT = ConsoleContract.load("job-submission");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SCRIPT = "CREATE TABLE s (x INT) WITH ('connector' = 'datagen');\n"
            + "CREATE TABLE t (x INT) WITH ('connector' = 'blackhole');\nINSERT INTO t SELECT x FROM s;";

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @TestHTTPResource("/")
    URL root;

    /** Each interaction's answers, by name, as the session got them. */
    private final Map<String, List<JsonNode>> answers = new LinkedHashMap<>();

    @Test
    void everyInteractionOfTheConsoleIsMadeHere() {
        assertThat(CONTRACT.names()).containsExactlyInAnyOrder("settings", "clusters", "cluster", "jobs of a cluster", "job action",
                "create cluster", "submit SQL job");
    }

    @Test
    void aConsoleSessionGetsEveryFieldTheConsoleReads() throws Exception {
        send("settings", Map.of(), Map.of(), null);

        Map<String, Object> newCluster = new LinkedHashMap<>();
        newCluster.put("name", uniqueName("console"));
        newCluster.put("flinkVersion", "2.2.0");
        newCluster.put("elastic.warmPool", 0);
        newCluster.put("elastic.maxTaskManagers", 4);
        String cluster = send("create cluster", Map.of(), Map.of(), newCluster).path("id").asText();

        // Its JobManager ready, a TaskManager failed: the pods the console lists.
        Instant now = Instant.now();
        write(companion, new PodReady(UUID.randomUUID().toString(), cluster, now, cluster + "-jm-0", PodRole.JOB_MANAGER, "node-a",
                "127.0.0.1:8081"),
                new PodCreated(UUID.randomUUID().toString(), cluster, now, cluster + "-tm-0", PodRole.TASK_MANAGER, "r-1", "node-b"),
                new PodFailed(UUID.randomUUID().toString(), cluster, now, cluster + "-tm-0", "OOMKilled", 137, "out of memory"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("cluster", Map.of("id", cluster), Map.of()).path("pods").size()).isEqualTo(2));
        send("cluster", Map.of("id", cluster), Map.of(), null);
        send("clusters", Map.of(), Map.of(), null);

        Map<String, Object> sqlJob = new LinkedHashMap<>();
        sqlJob.put("clusterId", cluster);
        sqlJob.put("script", SCRIPT);
        sqlJob.put("name", "orders per product");
        sqlJob.put("dependencies", List.of());
        String job = send("submit SQL job", Map.of(), Map.of(), sqlJob).path("id").asText();

        // Each action a status offers, as the console's buttons take them, until every one offered was taken.
        Set<String> offered = new TreeSet<>();
        Set<String> taken = new LinkedHashSet<>();
        for (int step = 0; step < 10; step++) {
            awaitIdle(cluster, job);
            List<String> actions = new ArrayList<>();
            jobOf(send("jobs of a cluster", Map.of(), Map.of("clusterId", cluster), null), job).path("actions")
                    .forEach(action -> actions.add(action.asText()));
            offered.addAll(actions);
            String next = actions.stream().filter(action -> !taken.contains(action)).findFirst().orElse(null);
            if (next == null) {
                break;
            }
            send("job action", Map.of("id", job, "action", next), Map.of(), null);
            taken.add(next);
            send("jobs of a cluster", Map.of(), Map.of("clusterId", cluster), null); // while it is in progress, most likely
        }
        assertThat(taken).as("the actions taken").isEqualTo(offered).contains("savepoints", "stop", "restart", "cancel");

        JsonNode openApi = OpenApiDocument.of(root.toString());
        List<String> problems = new ArrayList<>();
        for (Interaction interaction : CONTRACT.interactions()) {
            problems.addAll(ConsoleContract.check(interaction, answers.getOrDefault(interaction.name(), List.of()), openApi));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void refusalsAreProblemsAsTheConsoleReadsThem() throws IOException {
        List<JsonNode> problems = new ArrayList<>();
        // A new cluster whose warm pool the API refuses ...
        Map<String, Object> badPool = new LinkedHashMap<>();
        badPool.put("name", uniqueName("console-refused"));
        badPool.put("flinkVersion", "2.2.0");
        badPool.put("elastic.warmPool", -1);
        badPool.put("elastic.maxTaskManagers", 4);
        problems.add(refused(CONTRACT.interaction("create cluster"), Map.of(), badPool, 400));
        // ... and an action on a job that is not there (deleted since the console listed it).
        problems.add(refused(CONTRACT.interaction("job action"), Map.of("id", uniqueName("gone"), "action", "cancel"), null, 404));
        assertThat(ConsoleContract.check("problem", CONTRACT.problemReads(), Map.of(), problems, null, null)).isEmpty();
    }

    /** The console's request: its path's values, its query's computed values, its body's; the answer, kept to be checked. */
    private JsonNode send(String name, Map<String, String> path, Map<String, String> query, Map<String, Object> body)
            throws IOException {
        Interaction interaction = CONTRACT.interaction(name);
        Response answer = request(interaction, query, body).request(interaction.method(), interaction.path(path));
        assertThat(answer.statusCode()).as("%s %s: %s", interaction.method(), interaction.path(path), answer.asString())
                .isEqualTo(interaction.status());
        JsonNode json = JSON.readTree(answer.asString()); // the console parses every answer but a 204 as JSON
        answers.computeIfAbsent(name, key -> new ArrayList<>()).add(json);
        return json;
    }

    /** The answer, not kept. */
    private JsonNode get(String name, Map<String, String> path, Map<String, String> query) throws IOException {
        Interaction interaction = CONTRACT.interaction(name);
        return JSON.readTree(request(interaction, query, null).request(interaction.method(), interaction.path(path)).asString());
    }

    private JsonNode refused(Interaction interaction, Map<String, String> path, Map<String, Object> body, int status) throws IOException {
        Response answer = request(interaction, Map.of(), body).request(interaction.method(), interaction.path(path));
        assertThat(answer.statusCode()).as("%s %s: %s", interaction.method(), interaction.path(path), answer.asString()).isEqualTo(status);
        return JSON.readTree(answer.asString());
    }

    /** Headers as console.js's helper for the interaction's auth sends them: the tenant's token, or none for the settings. */
    private static RequestSpecification request(Interaction interaction, Map<String, String> query, Map<String, Object> body) {
        RequestSpecification request = given().accept("application/json");
        switch (interaction.auth()) {
            case "tenant" -> request.header("Authorization", TEAM_A);
            case "none" -> {
            }
            default -> throw new AssertionError("an auth this test does not know: " + interaction.auth());
        }
        if (!interaction.query().isEmpty() || !query.isEmpty()) {
            request.queryParams(interaction.query(query));
        }
        if (!interaction.body().isEmpty() || body != null) {
            request.contentType("application/json").body(interaction.body(body).toString());
        }
        return request;
    }

    private void awaitIdle(String cluster, String job) {
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode found = jobOf(get("jobs of a cluster", Map.of(), Map.of("clusterId", cluster)), job);
            assertThat(found.path("operation").isMissingNode()).as("no action in progress: %s", found).isTrue();
            assertThat(found.path("status").asText()).isNotEqualTo("SUBMITTED");
        });
    }

    private static JsonNode jobOf(JsonNode jobs, String id) {
        for (JsonNode job : jobs) {
            if (id.equals(job.path("id").asText())) {
                return job;
            }
        }
        throw new AssertionError("job " + id + " not in " + jobs);
    }
}
