package dev.slipway.scheduler;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.resources.ClusterSpecCreated;
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
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's side of the web console's contract ({@code contracts/src/test/resources/console-contract/resource-scheduler.json},
 * matched with console.js by job-submission's {@code ConsoleScriptContractTest}): the console's requests, made here against
 * this service holding a cluster with decisions, are answered with the recorded status and every field the console reads;
 * so are its refusals.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class ConsoleContractTest {

    private static final ClusterTokens TOKENS = new ClusterTokens("test-secret-of-enough-length");
    private static final ConsoleContract CONTRACT = ConsoleContract.load("resource-scheduler");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyInteractionOfTheConsoleIsMadeHere() {
        assertThat(CONTRACT.names()).containsExactlyInAnyOrder("recent decisions");
    }

    @Test
    void recentDecisions() throws Exception {
        String cluster = Clusters.newId();
        // A warm pool of 2: the scheduler provisions the JobManager and two TaskManagers, each decision naming its pod.
        Clusters.write(companion, new ClusterSpecCreated(UUID.randomUUID().toString(), cluster, Instant.now(), 1,
                Clusters.elastic(2, 10, 300)));
        Interaction interaction = CONTRACT.interaction("recent decisions");
        List<JsonNode> answers = new ArrayList<>();
        // The read view follows the decisions a moment behind.
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode answer = send(interaction, cluster, TOKENS.issueReader(cluster), interaction.status());
            assertThat(answer.size()).isGreaterThanOrEqualTo(3);
            answers.clear();
            answers.add(answer);
        });
        assertThat(ConsoleContract.check(interaction, answers, OpenApiDocument.of(root.toString()))).isEmpty();
    }

    @Test
    void refusalsAreProblemsAsTheConsoleReadsThem() throws Exception {
        String cluster = Clusters.newId();
        Interaction decisions = CONTRACT.interaction("recent decisions");
        List<JsonNode> problems = new ArrayList<>();
        // The console's request with another cluster's reader token (a cluster selected meanwhile) ...
        problems.add(send(decisions, cluster, TOKENS.issueReader(Clusters.newId()), 403));
        // ... and a refused parameter, the kind of problem that names its field.
        Response refused = given().header("Authorization", "Bearer " + TOKENS.issueReader(cluster))
                .queryParam("limit", 0).get(decisions.path(Map.of("clusterId", cluster)));
        assertThat(refused.statusCode()).isEqualTo(400);
        problems.add(JSON.readTree(refused.asString()));
        assertThat(ConsoleContract.check("problem", CONTRACT.problemReads(), Map.of(), problems, null, null)).isEmpty();
    }

    /** The console's request, with its reader token as the contract's auth says; the answer, which has the expected status. */
    private JsonNode send(Interaction interaction, String cluster, String readerToken, int status) throws Exception {
        assertThat(interaction.auth()).isEqualTo("reader");
        Response answer = given().header("Authorization", "Bearer " + readerToken).queryParams(interaction.query(Map.of()))
                .request(interaction.method(), interaction.path(Map.of("clusterId", cluster)));
        assertThat(answer.statusCode()).as("%s %s", interaction.method(), interaction.path()).isEqualTo(status);
        return JSON.readTree(answer.asString());
    }
}
