package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.awaitJob;
import static dev.slipway.submission.TestSupport.flinkJobId;
import static dev.slipway.submission.TestSupport.restart;
import static dev.slipway.submission.TestSupport.runningCluster;
import static dev.slipway.submission.TestSupport.runningJob;
import static dev.slipway.submission.TestSupport.savepoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.jobs.JobSubmitted;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs keep their checkpoints (retained on cancellation and failure) and a restart starts from the newer of the latest
 * savepoint and the latest checkpoint Flink retained, read when the run ends or, failing that, before the restart.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TestingFlink.class)
class CheckpointRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

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

    private List<JobSubmitted> submissionsOf(String jobId) {
        return TestSupport.jobEventsOf(jobEvents, jobId).stream()
                .filter(JobSubmitted.class::isInstance)
                .map(JobSubmitted.class::cast)
                .toList();
    }

    /** A job that checkpoints every second. */
    private static String checkpointingJob(String cluster) {
        return runningJob(JobsTest.upload(TEAM_A, JobsTest.JAR, cluster, JobsTest.MAIN)
                .multiPart("flinkConfiguration", "{\"execution.checkpointing.interval\":\"1s\"}"));
    }

    @Test
    void everyRunKeepsItsCheckpointsInTheJobsDirectoryRetainedOnCancellation() {
        String cluster = runningCluster(companion, TEAM_A, "chk");
        String id = checkpointingJob(cluster);
        TestingFlink.Run run = TestingFlink.jobManager(cluster).runs.get(flinkJobId(id));
        assertThat(run.configuration())
                .containsEntry("execution.checkpointing.interval", "1s")
                .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        assertThat(run.configuration().get("execution.checkpointing.dir")).startsWith("file:/").endsWith("/checkpoints/" + id);
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("restoredFrom", nullValue()).body("latestCheckpoint", nullValue());
    }

    @Test
    void aFailedRunRestartsFromItsRetainedCheckpointWhenThatIsNewerThanTheSavepoint() {
        String cluster = runningCluster(companion, TEAM_A, "chkfail");
        String id = checkpointingJob(cluster);
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        String savepoint = savepoint(id);
        String first = flinkJobId(id);
        String checkpoint = "file:/data/checkpoints/" + id + "/" + first + "/chk-42";
        flink.checkpoint(first, 42, checkpoint, Instant.now().plusSeconds(30));
        flink.state(first, "FAILED");
        awaitJob(id, "FAILED");
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("latestCheckpoint", equalTo(checkpoint))
                .body("latestSavepoint", equalTo(savepoint));

        restart(id);
        String second = flinkJobId(id);
        assertThat(flink.runs.get(second).savepointPath()).isEqualTo(checkpoint);
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("restoredFrom.path", equalTo(checkpoint))
                .body("restoredFrom.kind", equalTo("CHECKPOINT"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(submissionsOf(id)).hasSize(2));
        assertThat(submissionsOf(id).get(1).fromSavepoint()).isEqualTo(checkpoint);
    }

    @Test
    void aSavepointNewerThanTheRetainedCheckpointIsPreferred() {
        String cluster = runningCluster(companion, TEAM_A, "chkold");
        String id = checkpointingJob(cluster);
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        String first = flinkJobId(id);
        String checkpoint = "file:/data/checkpoints/" + id + "/" + first + "/chk-3";
        flink.checkpoint(first, 3, checkpoint, Instant.now().minusSeconds(60));
        String savepoint = savepoint(id);
        as(TEAM_A).post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        awaitJob(id, "CANCELED");
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("latestCheckpoint", equalTo(checkpoint));

        restart(id);
        assertThat(flink.runs.get(flinkJobId(id)).savepointPath()).isEqualTo(savepoint);
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("restoredFrom.path", equalTo(savepoint))
                .body("restoredFrom.kind", equalTo("SAVEPOINT"));
    }

    @Test
    void aCheckpointFlinkReportsOnlyAfterTheRunWasSeenEndedIsReadAtTheRestart() {
        String cluster = runningCluster(companion, TEAM_A, "chklate");
        String id = checkpointingJob(cluster);
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        String first = flinkJobId(id);
        as(TEAM_A).post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        awaitJob(id, "CANCELED");
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("latestCheckpoint", nullValue());

        String checkpoint = "file:/data/checkpoints/" + id + "/" + first + "/chk-9";
        flink.checkpoint(first, 9, checkpoint, Instant.now());
        restart(id);
        assertThat(flink.runs.get(flinkJobId(id)).savepointPath()).isEqualTo(checkpoint);
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("latestCheckpoint", equalTo(checkpoint))
                .body("restoredFrom.kind", equalTo("CHECKPOINT"));
    }

    @Test
    void aRunsEndIsRecordedWithItsLatestCheckpointOnceFlinkNoLongerAnswersFromBeforeIt() {
        String cluster = runningCluster(companion, TEAM_A, "chkstale");
        String id = checkpointingJob(cluster);
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        String first = flinkJobId(id);
        String checkpoint = "file:/data/checkpoints/" + id + "/" + first + "/chk-8";
        flink.checkpoint(first, 8, checkpoint, Instant.now());
        // Flink's cached statistics name chk-7, which chk-8 subsumed, at the first read after the run ended (for up to 3 s
        // in real Flink; one stale answer here, so that a slow pass cannot outlast the 2 s settle timeout of the tests).
        flink.staleCheckpointAnswers(first, 1);
        as(TEAM_A).post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        awaitJob(id, "CANCELED");
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("latestCheckpoint", equalTo(checkpoint));
        assertThat(flink.staleAnswers.get(first)).hasValue(0);
    }

    @Test
    void aRunWhoseLatestCheckpointWasNotRetainedEndsWithoutOneAfterTheSettleTimeout() {
        String cluster = runningCluster(companion, TEAM_A, "chkgone");
        String id = checkpointingJob(cluster);
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        String first = flinkJobId(id);
        flink.checkpoint(first, 4, "file:/data/checkpoints/" + id + "/" + first + "/chk-4", Instant.now());
        flink.discardCheckpoint(first);
        flink.state(first, "FAILED");
        long readsBefore = checkpointReads(flink, first);
        awaitJob(id, "FAILED");
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then().body("latestCheckpoint", nullValue());
        // It asked again while the settle timeout (2 s here, at a 200 ms poll) ran, rather than taking the first answer.
        assertThat(checkpointReads(flink, first) - readsBefore).isGreaterThan(2);
    }

    private static long checkpointReads(TestingFlink.JobManager flink, String flinkJobId) {
        return flink.calls.stream().filter(("GET /jobs/" + flinkJobId + "/checkpoints")::equals).count();
    }
}
