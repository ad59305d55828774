package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.TEAM_B;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.create;
import static dev.slipway.submission.TestSupport.elastic;
import static dev.slipway.submission.TestSupport.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.testkit.BadInputs;
import dev.slipway.testkit.EveryRouteLocked;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.OpenApiDocument;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Submitting jobs: the upload's validation, field by field, and what is stored. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TestingFlink.class)
class JobsTest {

    static final String MAIN = "dev.example.StreamingJob";
    static final byte[] JAR = Jars.jar(null, MAIN, "dev.example.Helper");

    static RequestSpecification upload(String tenant, byte[] jar, String clusterId, String entryClass) {
        RequestSpecification request = given().header("Authorization", tenant).accept("application/json");
        if (jar != null) {
            request = request.multiPart("jar", "job.jar", jar, "application/java-archive");
        }
        if (clusterId != null) {
            request = request.multiPart("clusterId", clusterId);
        }
        if (entryClass != null) {
            request = request.multiPart("entryClass", entryClass);
        }
        return request;
    }

    @Test
    void aJarJobIsStoredContentAddressedAsVersionOne() throws Exception {
        String cluster = create(TEAM_A, elastic(uniqueName("jobs"), 0, 2));
        String id = upload(TEAM_A, JAR, cluster, MAIN)
                .multiPart("args", "--rate").multiPart("args", "100")
                .multiPart("parallelism", "2")
                .multiPart("flinkConfiguration", "{\"pipeline.name\":\"orders\"}")
                .post("/api/v1/jobs")
                .then().statusCode(201).contentType("application/json")
                .body("status", equalTo("SUBMITTED"))
                .body("actions", contains("cancel"))
                .body("operation", equalTo("SUBMIT"))
                .body("name", equalTo("StreamingJob"))
                .body("clusterId", equalTo(cluster))
                .body("version", equalTo(1))
                .extract().path("id");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(JAR));
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().statusCode(200)
                .body("versions.size()", equalTo(1))
                .body("versions[0].version", equalTo(1))
                .body("versions[0].entryClass", equalTo(MAIN))
                .body("versions[0].parallelism", equalTo(2))
                .body("versions[0].args", contains("--rate", "100"))
                .body("versions[0].flinkConfiguration.'pipeline.name'", equalTo("orders"))
                .body("versions[0].artifact.sha256", equalTo(sha))
                .body("versions[0].artifact.size", equalTo(JAR.length));
        assertThat(Path.of("target/test-artifacts", sha.substring(0, 2), sha + ".jar")).exists()
                .satisfies(path -> assertThat(Files.readAllBytes(path)).isEqualTo(JAR));
        as(TEAM_A).get("/api/v1/jobs").then().statusCode(200).body("id", hasItem(id));
        as(TEAM_A).get("/api/v1/jobs?clusterId={c}", cluster).then().statusCode(200).body("id", contains(id));
    }

    @Test
    void theFieldsMayComeAsOneJsonPartAndTheManifestNamesTheEntryClass() {
        String cluster = create(TEAM_A, elastic(uniqueName("jobs-json"), 0, 2));
        byte[] withMain = Jars.jar(MAIN, MAIN);
        given().header("Authorization", TEAM_A)
                .multiPart("jar", "orders.jar", withMain, "application/java-archive")
                .multiPart("job", "{\"clusterId\":\"" + cluster + "\",\"name\":\"orders\",\"args\":[\"--rate\",\"5\"]}", "application/json")
                .post("/api/v1/jobs")
                .then().statusCode(201).body("name", equalTo("orders"));
        given().header("Authorization", TEAM_A)
                .multiPart("jar", "orders.jar", withMain, "application/java-archive")
                .multiPart("job", "{\"clusterId\":\"" + cluster + "\",\"paralelism\":3}", "application/json")
                .post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("paralelism"));
    }

    @Test
    void somethingThatIsNotAJarIsRefusedNamingTheField() {
        String cluster = create(TEAM_A, elastic(uniqueName("not-jar"), 0, 2));
        upload(TEAM_A, "<html>surely a jar</html>".getBytes(), cluster, MAIN).post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("jar"))
                .body("errors[0].message", containsString("not a jar"));
        upload(TEAM_A, null, cluster, MAIN).post("/api/v1/jobs")
                .then().statusCode(400).body("errors.field", contains("jar"));
    }

    @Test
    void aJarOverTheLimitIs413() {
        String cluster = create(TEAM_A, elastic(uniqueName("big"), 0, 2));
        byte[] big = new byte[300 * 1024]; // the test limit is 256 KiB
        System.arraycopy(JAR, 0, big, 0, JAR.length);
        upload(TEAM_A, big, cluster, MAIN).post("/api/v1/jobs")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://slipway.dev/problems/jar-too-large"))
                .body("errors[0].field", equalTo("jar"));
    }

    @Test
    void anEntryClassMissingFromTheJarIsRefused() {
        String cluster = create(TEAM_A, elastic(uniqueName("entry"), 0, 2));
        upload(TEAM_A, JAR, cluster, "dev.example.NotThere").post("/api/v1/jobs")
                .then().statusCode(400)
                .body("errors.field", contains("entryClass"))
                .body("errors[0].message", equalTo("the jar has no class dev.example.NotThere"));
        upload(TEAM_A, JAR, cluster, null).post("/api/v1/jobs")
                .then().statusCode(400).body("errors[0].message", containsString("manifest names no Main-Class"));
    }

    @Test
    void everyFieldAtFaultIsNamedAtOnce() {
        upload(TEAM_A, JAR, null, MAIN)
                .multiPart("parallelism", "0")
                .multiPart("savepointPath", "relative/dir")
                .multiPart("flinkConfiguration", "{\"taskmanager.numberOfTaskSlots\":\"8\"}")
                .post("/api/v1/jobs")
                .then().statusCode(400)
                .body("errors.field", containsInAnyOrder("clusterId", "parallelism", "savepointPath",
                        "flinkConfiguration[taskmanager.numberOfTaskSlots]"));
        upload(TEAM_A, JAR, "c", MAIN).multiPart("parallelism", "many").multiPart("colour", "blue").post("/api/v1/jobs")
                .then().statusCode(400).body("errors.field", containsInAnyOrder("parallelism", "colour"));
    }

    @Test
    void anUnknownClusterOrAnotherTenantsIsNotFound() {
        upload(TEAM_A, JAR, "no-such-cluster", MAIN).post("/api/v1/jobs")
                .then().statusCode(404).contentType("application/problem+json").body("errors[0].field", equalTo("clusterId"));
        String theirs = create(TEAM_B, elastic(uniqueName("theirs"), 0, 2));
        upload(TEAM_A, JAR, theirs, MAIN).post("/api/v1/jobs")
                .then().statusCode(404).body("detail", equalTo("no cluster " + theirs));
        upload("Bearer wrong-token-0123456789", JAR, theirs, MAIN).post("/api/v1/jobs").then().statusCode(401);
    }

    @Test
    void anotherTenantsJobIsNotFound() {
        String cluster = create(TEAM_A, elastic(uniqueName("mine"), 0, 2));
        String id = upload(TEAM_A, JAR, cluster, MAIN).post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        as(TEAM_B).get("/api/v1/jobs/{id}", id).then().statusCode(404);
        as(TEAM_B).post("/api/v1/jobs/{id}/cancel", id).then().statusCode(404);
        as(TEAM_B).body("{\"version\":1}").post("/api/v1/jobs/{id}/rollback", id).then().statusCode(404);
        as(TEAM_B).get("/api/v1/jobs").then().body("id", not(hasItem(id)));
        as(TEAM_A).get("/api/v1/jobs/{id}", "no-such-job").then().statusCode(404);
    }

    static final String SQL = """
            SET 'pipeline.name' = 'orders per product';
            CREATE TABLE orders (product INT, amount BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
            CREATE TABLE totals (product INT, total BIGINT) WITH ('connector' = 'blackhole');
            INSERT INTO totals SELECT product, SUM(amount) FROM orders GROUP BY product;
            """;

    static String sqlJob(String clusterId, String script) {
        return "{\"type\":\"SQL\",\"clusterId\":\"" + clusterId + "\",\"parallelism\":2,\"script\":" + TestSupport.json(script) + "}";
    }

    @Test
    void aSqlJobIsStoredWithItsScriptAndTheSqlRunnerAsItsArtifact() throws Exception {
        String cluster = create(TEAM_A, elastic(uniqueName("sql"), 0, 2));
        String id = as(TEAM_A).body(sqlJob(cluster, SQL)).post("/api/v1/jobs")
                .then().statusCode(201).contentType("application/json")
                .body("kind", equalTo("SQL"))
                .body("status", equalTo("SUBMITTED"))
                .body("name", equalTo("orders per product"))
                .extract().path("id");
        byte[] runner;
        try (var in = getClass().getClassLoader().getResourceAsStream("sql-runner/slipway-flink-sql-runner.jar")) {
            runner = in.readAllBytes();
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(runner));
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().statusCode(200)
                .body("versions[0].kind", equalTo("SQL"))
                .body("versions[0].script", equalTo(SQL))
                .body("versions[0].entryClass", equalTo("dev.slipway.flink.sql.SqlRunner"))
                .body("versions[0].parallelism", equalTo(2))
                .body("versions[0].artifact.sha256", equalTo(sha));
        assertThat(Path.of("target/test-artifacts", sha.substring(0, 2), sha + ".jar")).exists();

        // A SQL job's versions are scripts (deployed in e2e/JobSubmissionTest); a jar is refused naming the type.
        upload(TEAM_A, JAR, null, MAIN).post("/api/v1/jobs/{id}/versions", id)
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("type"));
        as(TEAM_A).body("{\"script\":\"SELECT 1\"}").post("/api/v1/jobs/{id}/versions", id)
                .then().statusCode(400).body("errors[0].field", equalTo("script"));
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("versions.size()", equalTo(1));
    }

    @Test
    void aSqlScriptThatCannotRunIsRefusedNamingTheLineAndNothingIsStored() {
        String cluster = create(TEAM_A, elastic(uniqueName("badsql"), 0, 2));
        as(TEAM_A).body(sqlJob(cluster, "CREATE TABLE t (x INT) WITH ('connector' = 'datagen');\nSELECT * FROM t;")).post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("script"))
                .body("errors[0].message", containsString("line 2: a query's rows have nowhere to go"));
        as(TEAM_A).body(sqlJob(cluster, "INSERT INTO t VALUES ('x);")).post("/api/v1/jobs")
                .then().statusCode(400).body("errors[0].message", equalTo("line 1: the string opened with ' is never closed"));
        as(TEAM_A).body("{\"type\":\"SQL\",\"clusterId\":\"" + cluster + "\",\"entryClass\":\"a.B\",\"args\":[\"x\"]}")
                .post("/api/v1/jobs").then().statusCode(400)
                .body("errors.field", containsInAnyOrder("entryClass", "args", "script"));
        // JSON without type SQL is not a job; a SQL job uploaded with a jar is told where its jars go.
        as(TEAM_A).body("{\"clusterId\":\"" + cluster + "\",\"entryClass\":\"a.B\"}").post("/api/v1/jobs")
                .then().statusCode(415).body("errors[0].field", equalTo("type"));
        upload(TEAM_A, JAR, cluster, MAIN).multiPart("type", "SQL").post("/api/v1/jobs")
                .then().statusCode(400).body("errors.field", hasItem("jar"))
                .body("errors.find { it.field == 'jar' }.message", containsString("parts 'dependency'"));
        as(TEAM_A).get("/api/v1/jobs?clusterId={c}", cluster).then().body("size()", equalTo(0));
    }

    @Test
    void actionsThatDoNotFitTheJobsStateAre409() {
        String cluster = create(TEAM_A, elastic(uniqueName("early"), 0, 2));
        String id = upload(TEAM_A, JAR, cluster, MAIN).post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        // Its cluster is not running: the job waits to be submitted.
        as(TEAM_A).post("/api/v1/jobs/{id}/savepoints", id).then().statusCode(409)
                .body("type", equalTo("https://slipway.dev/problems/job-state"));
        as(TEAM_A).post("/api/v1/jobs/{id}/stop", id).then().statusCode(409);
        as(TEAM_A).body("{\"version\":1}").post("/api/v1/jobs/{id}/rollback", id).then().statusCode(409);
        as(TEAM_A).body("{\"version\":2}").post("/api/v1/jobs/{id}/rollback", id).then().statusCode(400)
                .body("errors[0].message", equalTo("job " + id + " has versions 1 to 1"));
        as(TEAM_A).body("{}").post("/api/v1/jobs/{id}/rollback", id).then().statusCode(400).body("errors[0].field", equalTo("version"));
        // Cancelling a job that never reached Flink needs no Flink.
        as(TEAM_A).post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202).body("status", equalTo("CANCELED"));
        as(TEAM_A).post("/api/v1/jobs/{id}/cancel", id).then().statusCode(409);
    }

    @TestHTTPResource("/")
    URL serviceUrl;

    /**
     * Generated from the service's OpenAPI document: every field of a cluster and of a JSON job sent wrong in each way that is
     * wrong whatever it means is a 400 naming it, in the API's words; and nothing of it was stored.
     */
    @Test
    void everyFieldSentWrongIsRefusedNamingItAndNothingIsStored() throws Exception {
        String cluster = create(TEAM_A, elastic(uniqueName("bad-inputs"), 0, 2));
        int clusters = as(TEAM_A).get("/api/v1/clusters").then().statusCode(200).extract().jsonPath().getList("$").size();
        int jobs = as(TEAM_A).get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("$").size();
        JsonNode openApi = OpenApiDocument.of(serviceUrl.toString());
        ObjectMapper json = new ObjectMapper();
        String base = serviceUrl.toString().replaceAll("/$", "");
        Map<String, String> caller = Map.of("Authorization", TEAM_A);

        List<BadInputs.Case> clusterCases = BadInputs.cases(openApi, "POST", "/api/v1/clusters",
                (ObjectNode) json.readTree(elastic(uniqueName("never-stored"), 0, 2)));
        List<BadInputs.Case> jobCases = BadInputs.cases(openApi, "POST", "/api/v1/jobs", (ObjectNode) json.readTree("""
                {"type":"SQL","clusterId":"%s","parallelism":1,"name":"never-stored",
                 "script":"CREATE TABLE s (x INT) WITH ('connector' = 'datagen'); CREATE TABLE k (x INT) WITH ('connector' = 'blackhole'); INSERT INTO k SELECT x FROM s;",
                 "flinkConfiguration":{"pipeline.max-parallelism":"16"},"dependencies":[]}
                """.formatted(cluster)));
        assertThat(clusterCases.size() + jobCases.size()).as("cases generated").isGreaterThan(60);

        List<String> failures = new ArrayList<>(BadInputs.failures(base + "/api/v1/clusters", "POST", caller, clusterCases));
        failures.addAll(BadInputs.failures(base + "/api/v1/jobs", "POST", caller, jobCases));
        failures.addAll(BadInputs.queryFailures(base + "/api/v1/clusters", "GET", caller, Map.of(),
                BadInputs.queryCases(openApi, "GET", "/api/v1/clusters")));
        failures.addAll(BadInputs.queryFailures(base + "/api/v1/jobs", "GET", caller, Map.of(),
                BadInputs.queryCases(openApi, "GET", "/api/v1/jobs")));
        // A bad flag is refused before anything is done: the cluster is still there afterwards.
        failures.addAll(BadInputs.queryFailures(base + "/api/v1/clusters/" + cluster, "DELETE", caller, Map.of(),
                BadInputs.queryCases(openApi, "DELETE", "/api/v1/clusters/{id}")));
        assertThat(failures).as("bad inputs not answered as they should be").isEmpty();
        assertThat(as(TEAM_A).get("/api/v1/clusters").then().extract().jsonPath().getList("$")).hasSize(clusters);
        assertThat(as(TEAM_A).get("/api/v1/jobs").then().extract().jsonPath().getList("$")).hasSize(jobs);
    }

    /** Generated from the service's OpenAPI routes: a new endpoint without a check of its caller fails here. */
    @Test
    void everyRouteRefusesACallerWithoutAToken() throws Exception {
        EveryRouteLocked.check(serviceUrl, "GET /api/v1/console/settings");
    }
}
