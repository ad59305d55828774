package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.SMALL;
import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.TEAM_B;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.create;
import static dev.slipway.submission.TestSupport.elastic;
import static dev.slipway.submission.TestSupport.statik;
import static dev.slipway.submission.TestSupport.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.credentials.CredentialEvent;
import dev.slipway.contracts.credentials.TokensRevoked;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ClusterSpecChanged;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ClustersTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectKafkaCompanion
    KafkaCompanion companion;

    private ConsumerTask<String, byte[]> resources;

    @BeforeEach
    void watch() {
        resources = TestSupport.watch(companion, Topics.RESOURCES);
    }

    @AfterEach
    void stopWatching() {
        resources.stop();
    }

    @Test
    void createAnswersTheClusterItsTokenAndPublishesItsSpecWithCloudEventsHeaders() {
        String name = uniqueName("orders");
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String id = as(TEAM_A).header("traceparent", traceparent).body(elastic(name, 1, 8))
                .post("/api/v1/clusters")
                .then().statusCode(201)
                .body("name", equalTo(name))
                .body("tenant", equalTo("team-a"))
                .body("status", equalTo("PROVISIONING"))
                .body("generation", equalTo(1))
                .body("spec.flinkVersion", equalTo("2.2.0"))
                .body("spec.jobManager.memoryMb", equalTo(1600))
                .body("spec.elastic.maxTaskManagers", equalTo(8))
                .body("spec.tenantQuotaTaskManagers", equalTo(8))
                .extract().path("id");
        assertThat(id).startsWith(name + "-").matches("[a-z][a-z0-9-]{0,61}[a-z0-9]");
        String token = as(TEAM_A).get("/api/v1/clusters").then().extract().path("find { it.id == '" + id + "' }.clusterToken");
        assertThat(token).as("the token is shown only once").isNull();

        await().atMost(WAIT).untilAsserted(() -> assertThat(TestSupport.recordsOf(resources, id)).hasSize(1));
        ConsumerRecord<String, byte[]> record = TestSupport.recordsOf(resources, id).get(0);
        assertThat(EventRecords.text(record.headers(), CloudEventHeaders.TYPE)).isEqualTo("dev.slipway.resources.ClusterSpecCreated");
        assertThat(EventRecords.text(record.headers(), CloudEventHeaders.SOURCE)).isEqualTo("/slipway/job-submission");
        assertThat(EventRecords.text(record.headers(), CloudEventHeaders.SUBJECT)).isEqualTo(id);
        // The spec continues the caller's trace; its parent is this service's own PRODUCER span.
        assertThat(EventRecords.text(record.headers(), CloudEventHeaders.TRACEPARENT))
                .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").hasSize(traceparent.length()).isNotEqualTo(traceparent);
        ResourceEvent event = TestSupport.resourceEventsOf(resources, id).get(0);
        assertThat(event).isInstanceOfSatisfying(ClusterSpecCreated.class, created -> {
            assertThat(created.generation()).isEqualTo(1);
            assertThat(created.spec().tenant()).isEqualTo("team-a");
            assertThat(created.spec().elastic().warmPool()).isEqualTo(1);
            assertThat(created.spec().flinkConfiguration()).containsEntry("state.backend.type", "hashmap");
        });
    }

    @Test
    void theIssuedTokenIsTheClustersResourceManagerCredential() {
        String body = elastic(uniqueName("tok"), 0, 2);
        var answer = as(TEAM_A).body(body).post("/api/v1/clusters").then().statusCode(201).extract();
        String id = answer.path("id");
        String token = answer.path("clusterToken");
        ClusterTokens tokens = new ClusterTokens(TestSupport.TOKEN_SECRET);
        assertThat(tokens.verify(id, token, 0)).isTrue();
        assertThat(tokens.verify("another-cluster", token, 0)).isFalse();
        assertThat(answer.header("Location")).endsWith("/api/v1/clusters/" + id);
    }

    @Test
    void theClustersTenantAloneGetsItsReaderToken() {
        String body = elastic(uniqueName("read"), 0, 2);
        var answer = as(TEAM_A).body(body).post("/api/v1/clusters").then().statusCode(201).extract();
        String id = answer.path("id");
        ClusterTokens tokens = new ClusterTokens(TestSupport.TOKEN_SECRET);
        assertThat(tokens.verifyReader(id, answer.path("readerToken"), 0)).isTrue();
        assertThat(tokens.verify(id, answer.path("readerToken"), 0)).as("a reader token asks for no TaskManagers").isFalse();
        String shown = as(TEAM_A).get("/api/v1/clusters/{id}", id).then().statusCode(200)
                .body("clusterToken", nullValue()).extract().path("readerToken");
        assertThat(shown).isEqualTo(tokens.issueReader(id));
        List<String> listed = as(TEAM_A).get("/api/v1/clusters").then().statusCode(200)
                .extract().path("findAll { it.id == '" + id + "' }.readerToken");
        assertThat(listed).containsExactly(shown);
        as(TEAM_B).get("/api/v1/clusters/{id}", id).then().statusCode(404).body("readerToken", nullValue());
    }

    @Test
    void revokingAClustersTokensIssuesNewOnesAndPublishesTheGenerationTheServicesCheck() {
        String id = as(TEAM_A).body(elastic(uniqueName("leak"), 0, 2)).post("/api/v1/clusters").then().statusCode(201)
                .extract().path("id");
        String other = as(TEAM_A).body(elastic(uniqueName("calm"), 0, 2)).post("/api/v1/clusters").then().statusCode(201)
                .extract().path("id");
        ConsumerTask<String, byte[]> credentials = TestSupport.watch(companion, Topics.CREDENTIALS);
        try {
            var first = as(TEAM_A).post("/api/v1/clusters/{id}/token-revocations", id).then().statusCode(200).extract();
            var second = as(TEAM_A).post("/api/v1/clusters/{id}/token-revocations", id).then().statusCode(200).extract();
            ClusterTokens tokens = new ClusterTokens(TestSupport.TOKEN_SECRET);
            assertThat(tokens.verifyReader(id, first.path("readerToken"), 1)).isTrue();
            assertThat(tokens.verifyReader(id, first.path("readerToken"), 2)).as("revoked by the second revocation").isFalse();
            assertThat(tokens.verifyReader(id, second.path("readerToken"), 2)).isTrue();
            assertThat(tokens.verify(id, second.path("clusterToken"), 2)).isTrue();
            // What the tenant reads afterwards is the new token; the other cluster keeps its first one.
            as(TEAM_A).get("/api/v1/clusters/{id}", id).then().statusCode(200)
                    .body("readerToken", equalTo(second.path("readerToken")));
            as(TEAM_A).get("/api/v1/clusters/{id}", other).then().statusCode(200)
                    .body("readerToken", equalTo(tokens.issueReader(other)));

            await().atMost(WAIT).untilAsserted(() -> assertThat(TestSupport.recordsOf(credentials, id)).hasSize(2));
            List<ConsumerRecord<String, byte[]>> records = TestSupport.recordsOf(credentials, id);
            assertThat(records).extracting(record -> EventRecords.decode(record, CredentialEvent.class))
                    .allSatisfy(decoded -> assertThat(decoded).isInstanceOf(DecodeResult.Decoded.class));
            assertThat(records.stream().map(record -> ((DecodeResult.Decoded<CredentialEvent>) EventRecords.decode(record,
                    CredentialEvent.class)).event()).map(event -> ((TokensRevoked) event).generation()).toList()).containsExactly(1L, 2L);
            assertThat(EventRecords.text(records.get(0).headers(), "ce_type")).isEqualTo("dev.slipway.credentials.TokensRevoked");
            assertThat(TestSupport.recordsOf(credentials, other)).isEmpty();
        } finally {
            credentials.stop();
        }
        // Another tenant's cluster is not found; nobody revokes without a tenant token.
        as(TEAM_B).post("/api/v1/clusters/{id}/token-revocations", id).then().statusCode(404);
        given().post("/api/v1/clusters/{id}/token-revocations", id).then().statusCode(401);
    }

    @Test
    void invalidClustersAreRefusedFieldByField() {
        String body = """
                {"name":"", "mode":"ELASTIC", "flinkVersion":"1.18.1",
                 "jobManager":{"cpu":0,"memoryMb":256}, "taskManager":{"memoryMb":512},
                 "slotsPerTaskManager":0, "jobManagerReplicas":2, "highAvailability":false,
                 "elastic":{"warmPool":5,"maxTaskManagers":2,"idleTimeoutSeconds":1},
                 "failures":{"initialBackoffSeconds":60,"maxBackoffSeconds":30},
                 "flinkConfiguration":{"rest.port":"9000","taskmanager.numberOfTaskSlots":"4","slipway.anything":"x"}}
                """;
        as(TEAM_A).body(body).post("/api/v1/clusters")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Invalid request"))
                .body("errors.field", containsInAnyOrder("name", "flinkVersion", "jobManager.cpu", "jobManager.memoryMb",
                        "taskManager.memoryMb", "slotsPerTaskManager", "jobManagerReplicas", "elastic.warmPool",
                        "elastic.idleTimeoutSeconds", "failures.maxBackoffSeconds", "flinkConfiguration[rest.port]",
                        "flinkConfiguration[taskmanager.numberOfTaskSlots]", "flinkConfiguration[slipway.anything]"))
                .body("errors.find { it.field == 'flinkConfiguration[rest.port]' }.message",
                        containsString("'rest.port' is set by the platform"))
                .body("errors.find { it.field == 'flinkVersion' }.message", containsString("2.2.x, 1.20.x"));
    }

    @Test
    void modeSpecificFieldsAreRequiredAndExclusive() {
        as(TEAM_A).body("{\"name\":\"x\",\"mode\":\"STATIC\",\"elastic\":{\"maxTaskManagers\":3}}").post("/api/v1/clusters")
                .then().statusCode(400).body("errors.field", containsInAnyOrder("staticTaskManagers", "elastic"));
        as(TEAM_A).body("{\"name\":\"x\",\"mode\":\"ELASTIC\",\"elastic\":{}}").post("/api/v1/clusters")
                .then().statusCode(400).body("errors.field", containsInAnyOrder("elastic.maxTaskManagers"));
        as(TEAM_A).body("{\"name\":\"x\"}").post("/api/v1/clusters")
                .then().statusCode(400).body("errors.field", containsInAnyOrder("mode"));
        as(TEAM_A).body("{\"name\":\"x\",\"mode\":\"STATIC\",\"staticTaskManagers\":2,\"network\":\"HOST_NETWORK\","
                        + "\"flinkConfiguration\":{\"taskmanager.rpc.port\":\"6122\"}}").post("/api/v1/clusters")
                .then().statusCode(400).body("errors.field", containsInAnyOrder("flinkConfiguration[taskmanager.rpc.port]"));
    }

    @Test
    void unreadableBodiesNameTheirField() {
        as(TEAM_A).body("{\"name\":\"x\",\"mode\":\"STATIC\",\"staticTaskManagers\":2,\"network\":\"WIFI\"}")
                .post("/api/v1/clusters")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("network"));
        as(TEAM_A).body("{\"name\":\"x\",\"mode\":\"ELASTIC\",\"elastic\":{\"maxTaskManager\":3}}").post("/api/v1/clusters")
                .then().statusCode(400).body("errors[0].field", equalTo("elastic.maxTaskManager"))
                .body("errors[0].message", equalTo("unknown field"));
        as(TEAM_A).body("{\"name\":\"x\",\"mode\":\"STATIC\",\"staticTaskManagers\":\"many\"}").post("/api/v1/clusters")
                .then().statusCode(400).body("errors[0].field", equalTo("staticTaskManagers"));
    }

    @Test
    void callersWithoutATenantTokenAreRefused() {
        given().get("/api/v1/clusters").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer not-a-tenant-token-at-all").get("/api/v1/clusters").then().statusCode(401);
        // Bodies are read after the caller is checked: a malformed or misshapen one teaches an anonymous caller nothing.
        for (String body : List.of("{\"name\":", "[]", "{\"name\":\"x\",\"mode\":\"NONE\",\"surprise\":1}")) {
            given().contentType("application/json").body(body).post("/api/v1/clusters").then().statusCode(401)
                    .contentType("application/problem+json");
            given().contentType("application/json").header("Authorization", "Bearer not-a-tenant-token-at-all").body(body)
                    .post("/api/v1/jobs").then().statusCode(401);
            given().contentType("application/merge-patch+json").body(body).patch("/api/v1/clusters/{id}", "c-1").then().statusCode(401);
        }
        // A multipart upload with a broken body, anonymous: 401, not the form's parse error.
        given().header("Content-Type", "multipart/form-data; boundary=abc").body("--xyz\r\nnot a part".getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/jobs").then().statusCode(401);
        given().multiPart("clusterId", "c-1").multiPart("entryClass", "x").post("/api/v1/jobs/{id}/versions", "j-1").then()
                .statusCode(401);
    }

    @Test
    void anotherTenantsClusterDoesNotExistForTheCaller() {
        String id = create(TEAM_A, elastic(uniqueName("private"), 0, 2));
        as(TEAM_B).get("/api/v1/clusters/{id}", id).then().statusCode(404).contentType("application/problem+json");
        as(TEAM_B).body("{\"elastic\":{\"maxTaskManagers\":3}}").patch("/api/v1/clusters/{id}", id).then().statusCode(404);
        as(TEAM_B).delete("/api/v1/clusters/{id}", id).then().statusCode(404);
        as(TEAM_B).get("/api/v1/clusters").then().statusCode(200).body("id", not(hasItem(id)));
        as(TEAM_B).get("/api/v1/clusters/{id}", "no-such-cluster").then().statusCode(404);
        as(TEAM_A).get("/api/v1/clusters/{id}", id).then().statusCode(200).body("id", equalTo(id));
        as(TEAM_A).get("/api/v1/clusters").then().statusCode(200).body("id", hasItem(id));
    }

    @Test
    void aPatchPublishesTheNextGenerationAndRefusesWhatNeedsANewJobManager() {
        String name = uniqueName("patch");
        String id = create(TEAM_A, elastic(name, 0, 4));
        given().header("Authorization", TEAM_A).contentType("application/merge-patch+json")
                .body("{\"elastic\":{\"maxTaskManagers\":6},\"flinkConfiguration\":{\"state.backend.type\":null,\"parallelism.default\":\"2\"}}")
                .patch("/api/v1/clusters/{id}", id)
                .then().statusCode(200)
                .body("generation", equalTo(2))
                .body("spec.elastic.maxTaskManagers", equalTo(6))
                .body("spec.elastic.warmPool", equalTo(0))
                .body("spec.tenantQuotaTaskManagers", equalTo(6))
                .body("spec.flinkConfiguration", equalTo(java.util.Map.of("parallelism.default", "2")));
        // Nothing changes: no new generation, no event.
        as(TEAM_A).body("{\"elastic\":{\"maxTaskManagers\":6}}").patch("/api/v1/clusters/{id}", id)
                .then().statusCode(200).body("generation", equalTo(2));
        as(TEAM_A).body("{\"mode\":\"STATIC\",\"staticTaskManagers\":3,\"elastic\":null,\"flinkVersion\":\"1.20.1\"}")
                .patch("/api/v1/clusters/{id}", id)
                .then().statusCode(400).body("errors.field", containsInAnyOrder("mode", "flinkVersion"));
        as(TEAM_A).body("{\"elastic\":{\"warmPool\":9}}").patch("/api/v1/clusters/{id}", id)
                .then().statusCode(400).body("errors.field", containsInAnyOrder("elastic.warmPool"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(TestSupport.resourceEventsOf(resources, id))
                .extracting(ResourceEvent::getClass).containsExactly(ClusterSpecCreated.class, ClusterSpecChanged.class));
        ClusterSpecChanged changed = (ClusterSpecChanged) TestSupport.resourceEventsOf(resources, id).get(1);
        assertThat(changed.generation()).isEqualTo(2);
        assertThat(changed.spec().elastic().maxTaskManagers()).isEqualTo(6);
    }

    @Test
    void namesAreUniqueWithinATenant() {
        String name = uniqueName("twin");
        create(TEAM_A, statik(name, 1));
        as(TEAM_A).body(statik(name, 1)).post("/api/v1/clusters")
                .then().statusCode(409).body("errors[0].field", equalTo("name"));
        create(TEAM_B, statik(name, 1));
    }

    @Test
    void deletingAClusterWithoutPodsPublishesClusterDeletedAndEndsDeleted() {
        String id = create(TEAM_A, statik(uniqueName("gone"), 2));
        as(TEAM_A).delete("/api/v1/clusters/{id}", id)
                .then().statusCode(200).body("status", equalTo("DELETED")).body("generation", equalTo(2));
        as(TEAM_A).delete("/api/v1/clusters/{id}", id).then().statusCode(200).body("generation", equalTo(2));
        as(TEAM_A).body("{\"staticTaskManagers\":3}").patch("/api/v1/clusters/{id}", id).then().statusCode(409);
        as(TEAM_A).get("/api/v1/clusters").then().body("id", not(hasItem(id)));
        as(TEAM_A).get("/api/v1/clusters?includeDeleted=true").then().body("id", hasItem(id));

        await().atMost(WAIT).untilAsserted(() -> assertThat(TestSupport.resourceEventsOf(resources, id))
                .extracting(ResourceEvent::getClass).containsExactly(ClusterSpecCreated.class, ClusterDeleted.class));
        assertThat(((ClusterDeleted) TestSupport.resourceEventsOf(resources, id).get(1)).generation()).isEqualTo(2);
    }

    @Test
    void tenantQuotasLimitClustersAndTheirTaskManagers() {
        // The small tenant may have 2 clusters and 10 TaskManagers over their maxima; start from none.
        List<String> leftovers = as(SMALL).get("/api/v1/clusters").then().extract().path("id");
        leftovers.forEach(id -> as(SMALL).delete("/api/v1/clusters/{id}", id).then().statusCode(200));

        String first = create(SMALL, elastic(uniqueName("q1"), 0, 6));
        as(SMALL).body(elastic(uniqueName("q2"), 0, 5)).post("/api/v1/clusters")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://slipway.dev/problems/quota-exceeded"))
                .body("errors[0].field", equalTo("elastic.maxTaskManagers"))
                .body("detail", containsString("the other clusters take 6, this one asks for 5 (4 left)"));
        String second = as(SMALL).body(statik(uniqueName("q2"), 4)).post("/api/v1/clusters")
                .then().statusCode(201).body("spec.tenantQuotaTaskManagers", equalTo(4)).extract().path("id");
        as(SMALL).body(statik(uniqueName("q3"), 0 + 1)).post("/api/v1/clusters")
                .then().statusCode(409).body("detail", containsString("may have 2 clusters and has 2"));
        as(SMALL).body("{\"elastic\":{\"maxTaskManagers\":7}}").patch("/api/v1/clusters/{id}", first)
                .then().statusCode(409).body("errors[0].field", equalTo("elastic.maxTaskManagers"));
        // Lowering one frees quota for the other.
        as(SMALL).body("{\"staticTaskManagers\":2}").patch("/api/v1/clusters/{id}", second).then().statusCode(200);
        as(SMALL).body("{\"elastic\":{\"maxTaskManagers\":8}}").patch("/api/v1/clusters/{id}", first)
                .then().statusCode(200).body("spec.tenantQuotaTaskManagers", equalTo(8));
        // A deleted cluster counts no more.
        as(SMALL).delete("/api/v1/clusters/{id}", second).then().statusCode(200);
        create(SMALL, statik(uniqueName("q3"), 2));
    }

    @Test
    void openApiDescribesTheEndpoints() {
        given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/clusters/{id}"));
    }
}
