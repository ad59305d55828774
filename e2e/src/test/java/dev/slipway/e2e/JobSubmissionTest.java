package dev.slipway.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jobs end to end, through job-submission's API only: job-submission runs as its packaged app next to
 * the platform's services (PostgreSQL embedded in the test JVM) and creates one ELASTIC cluster. On it,
 * a JAR job (the example jar) and a SQL job (generated rows into a windowed aggregation, run by the SQL
 * runner) each run on real Flink processes, take a savepoint, stop with one, restart from it (Flink
 * reports the restore), deploy a second version and roll back to the first; the JAR job's stop survives job-submission
 * killed with kill -9 right after taking it.
 */
class JobSubmissionTest {

    private static final String TOKEN = SubmissionPlatform.TOKEN;
    private static final String STEADY_STREAM = "dev.slipway.flink.examples.SteadyStream";
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static Platform platform;
    private static SubmissionPlatform submission;
    private static String cluster;
    private static FlinkRest flink;

    @BeforeAll
    static void start() throws Exception {
        SubmissionPlatform shared = SubmissionPlatform.shared();
        platform = shared.platform;
        submission = shared;
        cluster = api().contentType("application/json").body("""
                {"name":"e2e-jobs","mode":"ELASTIC","jobManager":{"cpu":0.5,"memoryMb":1024},
                 "taskManager":{"cpu":0.5,"memoryMb":1024},"slotsPerTaskManager":2,
                 "elastic":{"warmPool":0,"maxTaskManagers":4,"idleTimeoutSeconds":60}}
                """).post("/api/v1/clusters").then().statusCode(201).extract().path("id");
        await("cluster RUNNING").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> api().get("/api/v1/clusters/{id}", cluster).then().extract().path("status"), "RUNNING"::equals);
        flink = platform.awaitJobManager(cluster);
    }

    @AfterAll
    static void deleteClusters() {
        // The shared platform outlives the class; the clusters this class made (and their jobs) do not.
        for (String made : api().get("/api/v1/clusters").then().statusCode(200).extract().jsonPath().getList("id", String.class)) {
            api().queryParam("force", true).delete("/api/v1/clusters/{id}", made);
        }
        await("the clusters of the class gone").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> platform.localPods().isEmpty());
    }

    private static RequestSpecification api() {
        return given().baseUri(submission.submission().url()).header("Authorization", TOKEN).accept("application/json");
    }

    private static JsonPath job(String id) {
        return api().get("/api/v1/jobs/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    /** Until the job has no action in progress and is in this status; fails at once on an action's error. */
    private static JsonPath awaitJob(String id, String status) {
        JsonPath[] last = new JsonPath[1];
        await("job " + id + " " + status).atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = job(id);
            assertThat(last[0].getString("operationError")).as("operation error of " + id).isNull();
            assertThat(last[0].getString("status")).as("job " + id + ": " + last[0].getString("failureCause")).isNotEqualTo("FAILED");
            return status.equals(last[0].getString("status")) && last[0].get("operation") == null;
        });
        return last[0];
    }

    /**
     * Until the job runs {@code version} with no action in progress and every task of the run is running;
     * answers the run's Flink job id, after checking that Flink restored the run from a savepoint or checkpoint.
     */
    private static String awaitRestoredRun(String id, int version) {
        JsonPath[] last = new JsonPath[1];
        await("version " + version + " of " + id + " running").atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = job(id);
            assertThat(last[0].getString("operationError")).as("operation error of " + id).isNull();
            assertThat(last[0].getString("status")).as("job " + id + ": " + last[0].getString("failureCause")).isNotEqualTo("FAILED");
            return last[0].getInt("version") == version && "RUNNING".equals(last[0].getString("status")) && last[0].get("operation") == null;
        });
        String run = last[0].getString("flinkJobId");
        awaitTasksRunning(flink, run);
        assertThat(flink.restoredCheckpoint(run)).as("run " + run + " restored from a savepoint or checkpoint").isNotNull();
        return run;
    }

    /** Every task of the run running: only then can Flink take a savepoint. */
    private static void awaitTasksRunning(FlinkRest flink, String flinkJobId) {
        await("tasks of " + flinkJobId + " running").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.vertexStates(flinkJobId), states -> !states.isEmpty() && states.stream().allMatch("RUNNING"::equals));
    }

    @Test
    void aJarJobRunsIsSavepointedStoppedRestartedFromItAndRolledBack() throws Exception {
        Path jar = platform.exampleJobsJar();
        String id = api().multiPart("jar", jar.toFile(), "application/java-archive")
                .multiPart("clusterId", cluster)
                .multiPart("entryClass", STEADY_STREAM)
                .multiPart("parallelism", "2")
                .multiPart("args", "--rate").multiPart("args", "100")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        String first = awaitJob(id, "RUNNING").getString("flinkJobId");
        assertThat(flink.jobState(first)).isEqualTo("RUNNING");
        awaitTasksRunning(flink, first);

        // A savepoint, the run goes on.
        api().post("/api/v1/jobs/{id}/savepoints", id).then().statusCode(202);
        JsonPath saved = awaitJob(id, "RUNNING");
        assertThat(saved.getList("savepoints.kind", String.class)).containsExactly("SAVEPOINT");
        assertThat(Path.of(URI.create(saved.getString("latestSavepoint")))).isDirectory();
        assertThat(saved.getString("flinkJobId")).isEqualTo(first);

        // Stop with a savepoint, and job-submission killed with kill -9 right after taking it: the service started again
        // on the same database finishes the stop, whether the savepoint was untriggered, triggered and unrecorded, or under way.
        api().post("/api/v1/jobs/{id}/stop", id).then().statusCode(202);
        submission.killAndRestartSubmission();
        JsonPath stopped = awaitJob(id, "FINISHED");
        String stopSavepoint = stopped.getString("latestSavepoint");
        assertThat(stopped.getList("savepoints.kind", String.class)).containsExactly("SAVEPOINT", "STOP");
        assertThat(Path.of(URI.create(stopSavepoint))).isDirectory();
        assertThat(flink.jobState(first)).isEqualTo("FINISHED");

        // Restart from it: a new run that Flink says it restored.
        api().post("/api/v1/jobs/{id}/restart", id).then().statusCode(202);
        String second = awaitRestoredRun(id, 1);
        assertThat(second).isNotEqualTo(first);

        // Version 2 (other arguments): stopped with a savepoint, submitted from it.
        api().multiPart("jar", jar.toFile(), "application/java-archive")
                .multiPart("entryClass", STEADY_STREAM).multiPart("parallelism", "2")
                .multiPart("args", "--rate").multiPart("args", "200")
                .post("/api/v1/jobs/{id}/versions", id).then().statusCode(202);
        String third = awaitRestoredRun(id, 2);

        // Roll back to version 1.
        api().contentType("application/json").body("{\"version\":1}").post("/api/v1/jobs/{id}/rollback", id).then().statusCode(202);
        String fourth = awaitRestoredRun(id, 1);
        JsonPath rolledBack = job(id);
        assertThat(rolledBack.getList("versions.version", Integer.class)).containsExactly(1, 2);
        assertThat(rolledBack.getList("versions.args", List.class).get(0)).isEqualTo(List.of("--rate", "100"));
        assertThat(rolledBack.getList("savepoints").size()).isEqualTo(4);
        // Exactly one run of the job is alive in Flink.
        assertThat(List.of(first, second, third).stream().map(flink::jobState)).containsOnly("FINISHED");

        api().post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        awaitJob(id, "CANCELED");
        assertThat(flink.jobState(fourth)).isEqualTo("CANCELED");
        // Both versions share one stored jar, content-addressed.
        assertThat(rolledBack.getList("versions.artifact.sha256", String.class)).containsExactly(sha256(jar), sha256(jar));
        assertThat(platform.work.resolve("artifacts").resolve(sha256(jar).substring(0, 2)).resolve(sha256(jar) + ".jar"))
                .hasSameBinaryContentAs(jar);
    }

    /** Generated orders counted per product in 2-second tumbling windows; the rate is what a new version changes. */
    private static String ordersPerProduct(int rowsPerSecond) {
        return """
                SET 'pipeline.name' = 'orders per product';
                CREATE TABLE orders (
                  product INT,
                  amount BIGINT,
                  ts AS PROCTIME()
                ) WITH ('connector' = 'datagen', 'rows-per-second' = '%d', 'fields.product.min' = '0', 'fields.product.max' = '9');
                CREATE TABLE totals (product INT, window_start TIMESTAMP(3), orders BIGINT, amount BIGINT)
                  WITH ('connector' = 'blackhole');
                INSERT INTO totals
                SELECT product, window_start, COUNT(*), SUM(amount)
                FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '2' SECOND))
                GROUP BY product, window_start, window_end;
                """.formatted(rowsPerSecond);
    }

    @Test
    void aSqlJobRunsIsSavepointedStoppedRestartedFromItAndRolledBack() {
        String id = api().contentType("application/json")
                .body(Map.of("type", "SQL", "clusterId", cluster, "parallelism", 2, "script", ordersPerProduct(50)))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        JsonPath running = awaitJob(id, "RUNNING");
        assertThat(running.getString("name")).isEqualTo("orders per product");
        String first = running.getString("flinkJobId");
        awaitTasksRunning(flink, first);
        assertThat(flink.vertexNames(first)).as("the planned SQL job").anyMatch(name -> name.contains("Window"));

        api().post("/api/v1/jobs/{id}/savepoints", id).then().statusCode(202);
        assertThat(awaitJob(id, "RUNNING").getList("savepoints.kind", String.class)).containsExactly("SAVEPOINT");

        api().post("/api/v1/jobs/{id}/stop", id).then().statusCode(202);
        JsonPath stopped = awaitJob(id, "FINISHED");
        assertThat(Path.of(URI.create(stopped.getString("latestSavepoint")))).isDirectory();

        api().post("/api/v1/jobs/{id}/restart", id).then().statusCode(202);
        String second = awaitRestoredRun(id, 1);

        // Version 2: the same query at another rate, submitted from the savepoint of the stop that ends version 1.
        api().contentType("application/json").body(Map.of("script", ordersPerProduct(100)))
                .post("/api/v1/jobs/{id}/versions", id).then().statusCode(202);
        String third = awaitRestoredRun(id, 2);

        api().contentType("application/json").body("{\"version\":1}").post("/api/v1/jobs/{id}/rollback", id).then().statusCode(202);
        String fourth = awaitRestoredRun(id, 1);
        JsonPath rolledBack = job(id);
        assertThat(rolledBack.getList("versions.script", String.class)).containsExactly(ordersPerProduct(50), ordersPerProduct(100));
        assertThat(List.of(first, second, third).stream().map(flink::jobState)).containsOnly("FINISHED");

        // Four savepoints, two kept (savepoints-kept here): Flink disposed of the two oldest, which no run starts from.
        JsonPath retained = await("the two oldest savepoints disposed of").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> job(id), json -> json.getList("savepoints.disposedAt").stream().filter(Objects::nonNull).count() == 2);
        List<String> savepoints = retained.getList("savepoints.path", String.class);
        assertThat(savepoints).hasSize(4);
        assertThat(retained.getList("savepoints.disposedAt").subList(2, 4)).containsOnlyNulls();
        assertThat(retained.getList("savepoints.disposalError")).containsOnlyNulls();
        assertThat(savepoints.subList(0, 2)).allSatisfy(gone -> assertThat(Path.of(URI.create(gone))).doesNotExist());
        assertThat(savepoints.subList(2, 4)).allSatisfy(kept -> assertThat(Path.of(URI.create(kept))).isDirectory());
        assertThat(retained.getString("restoredFrom.path")).isEqualTo(savepoints.get(3));

        api().post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        awaitJob(id, "CANCELED");
        assertThat(flink.jobState(fourth)).isEqualTo("CANCELED");
    }

    @Test
    void aSqlStatementFlinkRefusesFailsTheJobWithFlinksMessage() {
        String id = api().contentType("application/json")
                .body(Map.of("type", "SQL", "clusterId", cluster, "script", "INSERT INTO no_such_table VALUES (1);"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        await("job FAILED").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> job(id), json -> "FAILED".equals(json.getString("status")));
        assertThat(job(id).getString("failureCause").lines().findFirst().orElseThrow()).as("the deepest cause, first")
                .contains("no_such_table");
    }

    @Test
    void aJarJobMissingADependencyFailsNamingTheMissingClass() {
        // Flink's REST API answers such a run with "Internal server error." alone: the cause is in the JobManager's log.
        String id = api().multiPart("jar", platform.exampleJobsJar().toFile(), "application/java-archive")
                .multiPart("clusterId", cluster)
                .multiPart("entryClass", "dev.slipway.flink.examples.MissingDriver")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        JsonPath failed = await("job FAILED").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> job(id), json -> "FAILED".equals(json.getString("status")));
        assertThat(failed.getString("failureCause").lines().findFirst().orElseThrow()).as("the root cause, first")
                .contains("org.postgresql.Driver").doesNotContain("Internal server error");
        if (failed.getString("failureCause").contains("Internal server error")) {
            assertThat(failed.getString("failureCause")).as("Flink said nothing more").contains("from the JobManager's log");
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void aCancelledJarJobRestartsFromTheCheckpointFlinkRetained() {
        String id = api().multiPart("jar", platform.exampleJobsJar().toFile(), "application/java-archive")
                .multiPart("clusterId", cluster)
                .multiPart("entryClass", STEADY_STREAM)
                .multiPart("parallelism", "1")
                .multiPart("args", "--rate").multiPart("args", "100")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        String first = awaitJob(id, "RUNNING").getString("flinkJobId");
        awaitTasksRunning(flink, first);
        await("checkpoints of " + first).atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.completedCheckpoints(first), completed -> completed >= 2);

        // Cancelled without a savepoint: Flink keeps the latest checkpoint in the job's directory, and the job records it.
        api().post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        JsonPath canceled = awaitJob(id, "CANCELED");
        String checkpoint = canceled.getString("latestCheckpoint");
        assertThat(checkpoint).as("the retained checkpoint").contains("/checkpoints/" + id + "/" + first + "/chk-");
        assertThat(Path.of(URI.create(checkpoint))).isDirectory();
        assertThat(canceled.getString("latestSavepoint")).isNull();

        // The restart starts from it, and Flink says it restored.
        api().post("/api/v1/jobs/{id}/restart", id).then().statusCode(202);
        JsonPath restarted = awaitJob(id, "RUNNING");
        String second = restarted.getString("flinkJobId");
        assertThat(second).isNotEqualTo(first);
        assertThat(restarted.getString("restoredFrom.path")).isEqualTo(checkpoint);
        assertThat(restarted.getString("restoredFrom.kind")).isEqualTo("CHECKPOINT");
        awaitTasksRunning(flink, second);
        assertThat(flink.restoredCheckpoint(second)).as("restored from the retained checkpoint").isNotNull();

        // Cancelled and restarted once more: the first run's checkpoint is nobody's restore point now, and goes.
        await("checkpoints of " + second).atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.completedCheckpoints(second), completed -> completed >= 2);
        api().post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        String secondCheckpoint = awaitJob(id, "CANCELED").getString("latestCheckpoint");
        assertThat(secondCheckpoint).contains("/" + second + "/chk-");
        api().post("/api/v1/jobs/{id}/restart", id).then().statusCode(202);
        await("the first run's checkpoint disposed of").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> !Files.exists(Path.of(URI.create(checkpoint))));
        JsonPath third = awaitJob(id, "RUNNING");
        assertThat(third.getString("restoredFrom.path")).isEqualTo(secondCheckpoint);
        assertThat(Path.of(URI.create(secondCheckpoint))).as("what the running run started from stays").isDirectory();

        api().post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        awaitJob(id, "CANCELED");
    }

    /** An ELASTIC cluster of the tenant's, RUNNING; with or without high availability. */
    private static String runningCluster(String name, boolean highAvailability) {
        String id = api().contentType("application/json").body("""
                {"name":"%s","mode":"ELASTIC","jobManager":{"cpu":0.5,"memoryMb":1024},
                 "taskManager":{"cpu":0.5,"memoryMb":1024},"slotsPerTaskManager":2,
                 "elastic":{"warmPool":0,"maxTaskManagers":4,"idleTimeoutSeconds":60},"highAvailability":%s}
                """.formatted(name, highAvailability)).post("/api/v1/clusters").then().statusCode(201).extract().path("id");
        await("cluster " + id + " RUNNING").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> api().get("/api/v1/clusters/{id}", id).then().extract().path("status"), "RUNNING"::equals);
        return id;
    }

    /** KeyedCounts (keyed running counts written to files under {@code out}) through the API, RUNNING with checkpoints. */
    private static String runningKeyedCounts(String clusterId, Path out) {
        String id = api().multiPart("jar", platform.exampleJobsJar().toFile(), "application/java-archive")
                .multiPart("clusterId", clusterId)
                .multiPart("entryClass", Scenarios.KEYED_COUNTS)
                .multiPart("parallelism", "2")
                .multiPart("args", "--out").multiPart("args", out.toString())
                .multiPart("args", "--rate").multiPart("args", "100")
                .multiPart("args", "--checkpoint-ms").multiPart("args", "500")
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        String run = awaitJob(id, "RUNNING").getString("flinkJobId");
        FlinkRest jobManager = platform.awaitJobManager(clusterId);
        awaitTasksRunning(jobManager, run);
        await("checkpoints of " + run).atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> jobManager.completedCheckpoints(run), completed -> completed >= 3);
        await("the run's latest checkpoint recorded while it runs").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> job(id).getString("latestCheckpoint"), path -> path != null && path.contains("/" + run + "/chk-"));
        return id;
    }

    /** kill -9 of the cluster's JobManager; answers the statuses the job showed until {@code done} held. */
    private static List<String> killJobManagerAndFollow(String clusterId, String id, Predicate<JsonPath> done)
            throws IOException {
        String jobManager = platform.pods(clusterId).getString("find { it.role == 'JOB_MANAGER' && it.status == 'READY' }.name");
        ProcessHandle.of(platform.pid(clusterId, jobManager)).orElseThrow().destroyForcibly();
        List<String> seen = new ArrayList<>();
        await("job " + id + " back after its JobManager was killed").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    JsonPath now = job(id);
                    String status = now.getString("status");
                    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                        seen.add(status);
                    }
                    assertThat(status).as("job " + id + ": " + now.getString("statusReason")).isNotEqualTo("FAILED");
                    return done.test(now);
                });
        return seen;
    }

    @Test
    void aJobWhoseJobManagerIsKilledIsRecoveringThenTheSameRunGoesOnFromItsCheckpoint() throws IOException {
        String ha = runningCluster("e2e-ha", true);
        Path out = platform.work.resolve("counts").resolve(ha);
        String id = runningKeyedCounts(ha, out);
        String run = job(id).getString("flinkJobId");

        List<String> statuses = killJobManagerAndFollow(ha, id, now -> "RUNNING".equals(now.getString("status"))
                && "CHECKPOINT".equals(now.getString("restoredFrom.kind")));
        assertThat(statuses).as("what the job showed").contains("RECOVERING");
        JsonPath recovered = job(id);
        assertThat(recovered.getString("flinkJobId")).as("the same run, recovered from the HA store").isEqualTo(run);
        assertThat(recovered.getString("restoredFrom.path")).contains("/" + run + "/chk-");
        FlinkRest replaced = platform.awaitJobManager(ha);
        awaitTasksRunning(replaced, run);
        assertThat(replaced.restoredCheckpoint(run)).isNotNull();

        api().post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        awaitJob(id, "CANCELED");
        Scenarios.assertCountsWithoutGapNorFreshStart(out);
    }

    @Test
    void withoutHighAvailabilityALostRunIsRestartedByThePlatformFromItsNewestCheckpoint() throws IOException {
        String noHa = runningCluster("e2e-no-ha", false);
        Path out = platform.work.resolve("counts").resolve(noHa);
        String id = runningKeyedCounts(noHa, out);
        String run = job(id).getString("flinkJobId");

        List<String> statuses = killJobManagerAndFollow(noHa, id, now -> "RUNNING".equals(now.getString("status"))
                && !run.equals(now.getString("flinkJobId")) && now.get("operation") == null);
        assertThat(statuses).as("what the job showed").contains("RECOVERING");
        JsonPath restarted = job(id);
        String second = restarted.getString("flinkJobId");
        assertThat(restarted.getString("restoredFrom.kind")).isEqualTo("CHECKPOINT");
        assertThat(restarted.getString("restoredFrom.path")).as("the newest checkpoint the lost run left").contains("/" + run + "/chk-");
        FlinkRest replaced = platform.awaitJobManager(noHa);
        awaitTasksRunning(replaced, second);
        assertThat(replaced.restoredCheckpoint(second)).as("Flink says it restored").isNotNull();

        api().post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        awaitJob(id, "CANCELED");
        Scenarios.assertCountsWithoutGapNorFreshStart(out);
    }
}
