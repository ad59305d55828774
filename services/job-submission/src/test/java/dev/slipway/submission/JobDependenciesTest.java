package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.json;
import static dev.slipway.submission.TestSupport.runningCluster;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.MavenRepositoryServer;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job's dependencies: Maven coordinates fetched from a real repository over HTTP (verified, stored, fetched once), jars
 * uploaded with the job, both sent to Flink under the job's own {@code lib/}; and every way a dependency can be wrong
 * answered before anything is recorded.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TestingFlink.class)
@QuarkusTestResource(MavenRepositoryResource.class)
class JobDependenciesTest {

    /** Coordinates of this run only: the test artifact store outlives a run, and a coordinate once fetched is not fetched again. */
    static final String RUN = Long.toString(System.currentTimeMillis() % 10_000_000);
    static final String KAFKA = "org.apache.flink:flink-sql-connector-kafka:5." + RUN + ".0-2.2";
    static final String DRIVER = "org.postgresql:postgresql:42." + RUN;
    /** What the other tests name, so the fetch-once test alone fetches KAFKA and DRIVER. */
    static final String OTHER_KAFKA = "org.apache.flink:flink-sql-connector-kafka:4." + RUN + ".1-2.0";
    static final String OTHER_DRIVER = "org.postgresql:postgresql:41." + RUN;
    static final String OLD_LINE = "org.apache.flink:flink-sql-connector-kafka:3." + RUN + ".0-1.19";
    static final String CORRUPT = "dev.example:corrupt:1." + RUN;
    static final String FLAKY = "dev.example:flaky:1." + RUN;
    static final byte[] KAFKA_JAR = Jars.jar(null, "org.apache.flink.connector.kafka.source.KafkaSource");
    static final byte[] DRIVER_JAR = Jars.jar(null, "org.postgresql.Driver");
    static final String SCRIPT = "CREATE TABLE s (x INT) WITH ('connector' = 'datagen');\n"
            + "CREATE TABLE t (x INT) WITH ('connector' = 'blackhole');\nINSERT INTO t SELECT x FROM s;";

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @BeforeAll
    static void publish() {
        MavenRepositoryServer repository = MavenRepositoryResource.repository();
        repository.publish(KAFKA, Jars.file(KAFKA_JAR, "kafka.jar"))
                .publish(DRIVER, Jars.file(DRIVER_JAR, "driver.jar"))
                .publish(OTHER_KAFKA, Jars.file(KAFKA_JAR, "other-kafka.jar"))
                .publish(OTHER_DRIVER, Jars.file(DRIVER_JAR, "other-driver.jar"))
                .publish(OLD_LINE, Jars.file(KAFKA_JAR, "old.jar"))
                .publish(CORRUPT, Jars.file(DRIVER_JAR, "corrupt.jar"))
                .publish(FLAKY, Jars.file(DRIVER_JAR, "flaky.jar"));
    }

    static String sqlJob(String cluster, String... dependencies) {
        return """
                {"type":"SQL","clusterId":"%s","script":%s,"dependencies":%s}
                """.formatted(cluster, json(SCRIPT), jsonArray(List.of(dependencies)));
    }

    static String jsonArray(List<String> values) {
        return "[" + String.join(",", values.stream().map(TestSupport::json).toList()) + "]";
    }

    @Test
    void mavenDependenciesAreFetchedOnceVerifiedAndRunUnderTheJobsOwnLib() throws Exception {
        String cluster = runningCluster(companion, TEAM_A, "deps");
        MavenRepositoryServer repository = MavenRepositoryResource.repository();
        int before = repository.jarDownloads();
        String id = as(TEAM_A).body(sqlJob(cluster, KAFKA, DRIVER)).post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("status", equalTo("RUNNING")).body("operation", nullValue()));

        JsonPath job = as(TEAM_A).get("/api/v1/jobs/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(job.getList("versions[0].dependencies.coordinate")).containsExactly(KAFKA, DRIVER);
        assertThat(job.getList("versions[0].dependencies.file")).containsExactly("flink-sql-connector-kafka-5." + RUN + ".0-2.2.jar",
                "postgresql-42." + RUN + ".jar");
        assertThat(job.getList("versions[0].dependencies.sha256")).containsExactly(sha256(KAFKA_JAR), sha256(DRIVER_JAR));
        assertThat(repository.jarDownloads() - before).isEqualTo(2);

        TestingFlink.Run run = TestingFlink.jobManager(cluster).runs.get(job.getString("flinkJobId"));
        assertThat(run.libraries()).containsExactly("lib/00-flink-sql-connector-kafka-5." + RUN + ".0-2.2.jar",
                "lib/01-postgresql-42." + RUN + ".jar");

        // The same coordinates again: taken from the store, the repository is not asked.
        as(TEAM_A).body(sqlJob(cluster, DRIVER, KAFKA)).post("/api/v1/jobs").then().statusCode(201)
                .body("id", org.hamcrest.Matchers.notNullValue());
        assertThat(repository.jarDownloads() - before).isEqualTo(2);
    }

    @Test
    void jarsUploadedWithASqlJobRunWithItBeforeItsMavenDependencies() {
        String cluster = runningCluster(companion, TEAM_A, "upl");
        String id = given().header("Authorization", TEAM_A).accept("application/json")
                .multiPart("job", "{\"type\":\"SQL\",\"clusterId\":\"" + cluster + "\",\"script\":" + json(SCRIPT) + "}", "application/json")
                .multiPart("dependency", "my udfs.jar", Jars.jar(null, "dev.example.Udf"), "application/java-archive")
                .multiPart("dependencies", OTHER_DRIVER)
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("status", equalTo("RUNNING")));
        JsonPath job = as(TEAM_A).get("/api/v1/jobs/{id}", id).then().extract().jsonPath();
        assertThat(job.getList("versions[0].dependencies.file")).containsExactly("my_udfs.jar", "postgresql-41." + RUN + ".jar");
        assertThat(job.getString("versions[0].dependencies[0].coordinate")).isNull();
        assertThat(TestingFlink.jobManager(cluster).runs.get(job.getString("flinkJobId")).libraries())
                .containsExactly("lib/00-my_udfs.jar", "lib/01-postgresql-41." + RUN + ".jar");
    }

    @Test
    void aJarJobCarriesItsDependenciesToo() {
        String cluster = runningCluster(companion, TEAM_A, "jardeps");
        String id = JobsTest.upload(TEAM_A, JobsTest.JAR, cluster, JobsTest.MAIN).multiPart("dependencies", OTHER_KAFKA)
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("status", equalTo("RUNNING")));
        String flinkJobId = as(TEAM_A).get("/api/v1/jobs/{id}", id).then().extract().path("flinkJobId");
        assertThat(TestingFlink.jobManager(cluster).runs.get(flinkJobId).libraries())
                .containsExactly("lib/00-flink-sql-connector-kafka-4." + RUN + ".1-2.0.jar");
    }

    @Test
    void everyBadDependencyIsA4xxNamingItAndNothingIsRecorded() throws Exception {
        String cluster = runningCluster(companion, TEAM_A, "baddeps");
        Map<String, String> badCoordinates = Map.of(
                "org.apache.flink:flink-sql-connector-kafka", "is not a Maven coordinate",
                "../../etc:passwd:1", "is not a Maven coordinate",
                "dev.example:missing:1.0", "is not in " + MavenRepositoryResource.repository().url(),
                OLD_LINE, "is built for Flink 1.19 and cluster " + cluster + " runs Flink 2.2.0");
        for (var bad : badCoordinates.entrySet()) {
            as(TEAM_A).body(sqlJob(cluster, OTHER_DRIVER, bad.getKey())).post("/api/v1/jobs").then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("dependencies[1]"))
                    .body("errors[0].message", containsString(bad.getValue()));
        }
        as(TEAM_A).body(sqlJob(cluster, OTHER_DRIVER, "org.postgresql:postgresql:40.1")).post("/api/v1/jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("dependencies[1]")).body("errors[0].message", containsString("named twice"));

        MavenRepositoryResource.repository().corruptChecksum(CORRUPT);
        as(TEAM_A).body(sqlJob(cluster, CORRUPT)).post("/api/v1/jobs").then().statusCode(502)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("dependencies[0]"))
                .body("detail", containsString("publishes 0000000000000000000000000000000000000000"));

        MavenRepositoryResource.repository().failing(FLAKY, true);
        as(TEAM_A).body(sqlJob(cluster, FLAKY)).post("/api/v1/jobs").then().statusCode(502)
                .body("detail", containsString("answered 503"));
        MavenRepositoryResource.repository().failing(FLAKY, false);

        given().header("Authorization", TEAM_A).accept("application/json")
                .multiPart("job", "{\"type\":\"SQL\",\"clusterId\":\"" + cluster + "\",\"script\":" + json(SCRIPT) + "}", "application/json")
                .multiPart("dependency", "notes.jar", "not a jar".getBytes(), "application/java-archive")
                .post("/api/v1/jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("dependency[0]"))
                .body("errors[0].message", containsString("notes.jar is not a jar"));

        as(TEAM_A).get("/api/v1/jobs?clusterId={c}", cluster).then().statusCode(200).body("size()", equalTo(0));
        // Once the repository answers again, the same job is accepted.
        as(TEAM_A).body(sqlJob(cluster, FLAKY)).post("/api/v1/jobs").then().statusCode(201);
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
