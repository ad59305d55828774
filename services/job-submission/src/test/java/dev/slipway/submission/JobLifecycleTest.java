package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.awaitJob;
import static dev.slipway.submission.TestSupport.create;
import static dev.slipway.submission.TestSupport.elastic;
import static dev.slipway.submission.TestSupport.flinkJobId;
import static dev.slipway.submission.TestSupport.uniqueName;
import static dev.slipway.submission.TestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.jobs.JobEvent;
import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.contracts.jobs.JobStatusChanged;
import dev.slipway.contracts.jobs.JobSubmitted;
import dev.slipway.contracts.jobs.SavepointCompleted;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job's whole life against a Flink JobManager double: submitted once its cluster runs, followed,
 * savepointed, stopped, restarted from its savepoint, upgraded, rolled back, migrated, failed and
 * cancelled, with every change on slipway.jobs.v1.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TestingFlink.class)
class JobLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String MAIN = JobsTest.MAIN;

    @InjectKafkaCompanion
    KafkaCompanion companion;

    private ConsumerTask<String, byte[]> jobEvents;

    @BeforeEach
    void watch() {
        jobEvents = TestSupport.watch(companion, Topics.JOBS);
    }

    @AfterEach
    void unwatch() {
        jobEvents.stop();
    }

    private List<JobEvent> eventsOf(String jobId) {
        return TestSupport.jobEventsOf(jobEvents, jobId);
    }

    private String runningCluster(String prefix) {
        String cluster = create(TEAM_A, elastic(uniqueName(prefix), 0, 4));
        write(companion, new PodReady(UUID.randomUUID().toString(), cluster, Instant.now(), cluster + "-jm-0", PodRole.JOB_MANAGER,
                "node-a", "127.0.0.1:8081"));
        await().atMost(WAIT).untilAsserted(() -> as(TEAM_A).get("/api/v1/clusters/{id}", cluster).then().body("status",
                equalTo("RUNNING")));
        return cluster;
    }

    @Test
    void aJobRunsIsSavepointedStoppedRestartedUpgradedAndRolledBack() {
        // Submitted before its cluster runs: it waits, and says so.
        String cluster = create(TEAM_A, elastic(uniqueName("life"), 0, 4));
        String id = JobsTest.upload(TEAM_A, JobsTest.JAR, cluster, MAIN).multiPart("args", "--rate").multiPart("args", "100")
                .multiPart("parallelism", "2").post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        await().atMost(WAIT).untilAsserted(() -> as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("statusReason", containsString("waiting for cluster " + cluster + " to be RUNNING (it is PROVISIONING")));

        write(companion, new PodReady(UUID.randomUUID().toString(), cluster, Instant.now(), cluster + "-jm-0", PodRole.JOB_MANAGER,
                "node-a", "127.0.0.1:8081"));
        awaitJob(id, "RUNNING");
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("actions", contains("savepoints", "stop", "cancel"));
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        String first = flinkJobId(id);
        TestingFlink.Run run = flink.runs.get(first);
        assertThat(run.entryClass()).isEqualTo(MAIN);
        assertThat(run.args()).containsExactly("--rate", "100");
        assertThat(run.parallelism()).isEqualTo(2);
        assertThat(run.savepointPath()).isNull();
        assertThat(run.jarBytes()).isGreaterThan(JobsTest.JAR.length); // the multipart body around the jar
        assertThat(flink.calls).contains("DELETE /jars/" + flink.calls.stream().filter(c -> c.startsWith("POST /jars/") && c.endsWith("/run"))
                .findFirst().orElseThrow().replace("POST /jars/", "").replace("/run", ""));

        // A savepoint: the job goes on.
        as(TEAM_A).post("/api/v1/jobs/{id}/savepoints", id).then().statusCode(202).body("operation", equalTo("SAVEPOINT"));
        awaitJob(id, "RUNNING");
        String savepoint = as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("savepoints.size()", equalTo(1))
                .body("savepoints[0].kind", equalTo("SAVEPOINT")).extract().path("latestSavepoint");
        assertThat(savepoint).startsWith("file:/").contains("/savepoints/" + id + "/savepoint-");

        // Stop with a savepoint: FINISHED.
        as(TEAM_A).post("/api/v1/jobs/{id}/stop", id).then().statusCode(202);
        awaitJob(id, "FINISHED");
        String stopped = as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("savepoints.size()", equalTo(2))
                .body("savepoints[1].kind", equalTo("STOP")).extract().path("latestSavepoint");
        assertThat(stopped).isNotEqualTo(savepoint);

        // Restart: the same version, a new run, from the stop's savepoint.
        as(TEAM_A).post("/api/v1/jobs/{id}/restart", id).then().statusCode(202).body("operation", equalTo("SUBMIT"));
        awaitJob(id, "RUNNING");
        String second = flinkJobId(id);
        assertThat(second).isNotEqualTo(first);
        assertThat(flink.runs.get(second).savepointPath()).isEqualTo(stopped);

        // A new version while it runs: stopped with a savepoint, version 2 submitted from it.
        byte[] v2 = Jars.jar(null, MAIN, "dev.example.Helper", "dev.example.NewInV2");
        JobsTest.upload(TEAM_A, v2, null, MAIN).multiPart("args", "--rate").multiPart("args", "200")
                .post("/api/v1/jobs/{id}/versions", id).then().statusCode(202)
                .body("operation", equalTo("STOP")).body("operationVersion", equalTo(2));
        await().atMost(WAIT).untilAsserted(() -> as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("version", equalTo(2)).body("status", equalTo("RUNNING")).body("operation", nullValue()));
        String third = flinkJobId(id);
        assertThat(flink.runs.get(third).args()).containsExactly("--rate", "200");
        String upgradeSavepoint = as(TEAM_A).get("/api/v1/jobs/{id}", id).then().extract().path("latestSavepoint");
        assertThat(flink.runs.get(third).savepointPath()).isEqualTo(upgradeSavepoint);

        // Roll back to version 1, again through a savepoint.
        as(TEAM_A).body("{\"version\":1}").post("/api/v1/jobs/{id}/rollback", id).then().statusCode(202);
        await().atMost(WAIT).untilAsserted(() -> as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("version", equalTo(1)).body("status", equalTo("RUNNING")).body("operation", nullValue()));
        String fourth = flinkJobId(id);
        assertThat(flink.runs.get(fourth).args()).containsExactly("--rate", "100");
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("versions.version", contains(1, 2));

        // Every change is on the topic, keyed by the cluster, in order.
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf(id)).filteredOn(JobSubmitted.class::isInstance).hasSize(4));
        List<JobEvent> events = eventsOf(id);
        assertThat(events).filteredOn(SavepointCompleted.class::isInstance).hasSize(4);
        assertThat(events).filteredOn(JobStatusChanged.class::isInstance)
                .extracting(event -> ((JobStatusChanged) event).status())
                .startsWith(JobStatus.SUBMITTED, JobStatus.SUBMITTED, JobStatus.RUNNING, JobStatus.FINISHED, JobStatus.SUBMITTED,
                        JobStatus.RUNNING);
        assertThat(events).extracting(JobEvent::clusterId).containsOnly(cluster);
        JobSubmitted restarted = (JobSubmitted) events.stream().filter(JobSubmitted.class::isInstance).toList().get(1);
        assertThat(restarted.fromSavepoint()).isEqualTo(stopped);
        assertThat(restarted.version()).isEqualTo(1);
    }

    @Test
    void aFailingRunCarriesFlinksCauseAndARestartStartsFromTheLatestSavepoint() {
        String cluster = runningCluster("fail");
        String id = JobsTest.upload(TEAM_A, JobsTest.JAR, cluster, MAIN).post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        awaitJob(id, "RUNNING");
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        as(TEAM_A).post("/api/v1/jobs/{id}/savepoints", id).then().statusCode(202);
        awaitJob(id, "RUNNING");
        String savepoint = as(TEAM_A).get("/api/v1/jobs/{id}", id).then().extract().path("latestSavepoint");

        String run = flinkJobId(id);
        flink.state(run, "RESTARTING");
        awaitJob(id, "FAILING");
        flink.state(run, "FAILED");
        awaitJob(id, "FAILED");
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("failureCause", containsString("IllegalStateException: boom"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf(id)).filteredOn(JobStatusChanged.class::isInstance)
                .extracting(event -> ((JobStatusChanged) event).status()).endsWith(JobStatus.FAILING, JobStatus.FAILED));
        JobStatusChanged failed = (JobStatusChanged) eventsOf(id).stream().filter(JobStatusChanged.class::isInstance)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(failed.failureCause()).contains("boom");
        assertThat(failed.flinkJobId()).isEqualTo(run);

        as(TEAM_A).post("/api/v1/jobs/{id}/restart", id).then().statusCode(202);
        awaitJob(id, "RUNNING");
        assertThat(flink.runs.get(flinkJobId(id)).savepointPath()).isEqualTo(savepoint);
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("failureCause", nullValue());
    }

    @Test
    void aJobMigratesToAnotherClusterThroughASavepoint() {
        String from = runningCluster("from");
        String to = runningCluster("to");
        String id = JobsTest.upload(TEAM_A, JobsTest.JAR, from, MAIN).post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        awaitJob(id, "RUNNING");
        String before = flinkJobId(id);

        as(TEAM_A).body("{\"clusterId\":\"" + to + "\"}").post("/api/v1/jobs/{id}/migrate", id).then().statusCode(202)
                .body("operation", equalTo("STOP")).body("operationClusterId", equalTo(to));
        await().atMost(WAIT).untilAsserted(() -> as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("clusterId", equalTo(to)).body("status", equalTo("RUNNING")).body("operation", nullValue()));
        assertThat(TestingFlink.jobManager(from).states.get(before)).isEqualTo("FINISHED");
        String after = flinkJobId(id);
        String savepoint = as(TEAM_A).get("/api/v1/jobs/{id}", id).then().extract().path("latestSavepoint");
        assertThat(TestingFlink.jobManager(to).runs.get(after).savepointPath()).isEqualTo(savepoint);
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf(id)).filteredOn(JobSubmitted.class::isInstance)
                .extracting(JobEvent::clusterId).containsExactly(from, to));

        as(TEAM_A).body("{\"clusterId\":\"" + to + "\"}").post("/api/v1/jobs/{id}/migrate", id).then().statusCode(400)
                .body("errors[0].field", equalTo("clusterId"));
        as(TEAM_A).body("{\"clusterId\":\"not-a-cluster\"}").post("/api/v1/jobs/{id}/migrate", id).then().statusCode(404);
    }

    @Test
    void cancellingEndsTheRunAndARefusedRunFailsTheJobWithFlinksMessage() {
        String cluster = runningCluster("cancel");
        String id = JobsTest.upload(TEAM_A, JobsTest.JAR, cluster, MAIN).post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        awaitJob(id, "RUNNING");
        as(TEAM_A).post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202).body("operation", equalTo("CANCEL"));
        awaitJob(id, "CANCELED");
        assertThat(TestingFlink.jobManager(cluster).states.get(flinkJobId(id))).isEqualTo("CANCELED");
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("actions", contains("restart"));

        TestingFlink.jobManager(cluster).refuseRuns = "The main method caused an error: --rate is missing";
        try {
            String refused = JobsTest.upload(TEAM_A, JobsTest.JAR, cluster, MAIN).post("/api/v1/jobs").then().statusCode(201)
                    .extract().path("id");
            awaitJob(refused, "FAILED");
            as(TEAM_A).get("/api/v1/jobs/{id}", refused).then()
                    .body("failureCause", containsString("--rate is missing"))
                    .body("flinkJobId", nullValue());
        } finally {
            TestingFlink.jobManager(cluster).refuseRuns = null;
        }
    }
}
