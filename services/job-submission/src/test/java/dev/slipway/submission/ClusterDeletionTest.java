package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.awaitJob;
import static dev.slipway.submission.TestSupport.runningCluster;
import static dev.slipway.submission.TestSupport.runningJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.contracts.jobs.JobStatusChanged;
import dev.slipway.submission.service.ClusterInUse;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deleting a cluster that has jobs: refused naming them, or with force=true the jobs end with it; none stays RUNNING. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TestingFlink.class)
class ClusterDeletionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    DataSource dataSource;

    private ConsumerTask<String, byte[]> jobEvents;

    @BeforeEach
    void watch() {
        jobEvents = TestSupport.watch(companion, Topics.JOBS);
    }

    @AfterEach
    void unwatch() {
        jobEvents.stop();
    }

    private List<JobStatus> statusesOf(String jobId) {
        return TestSupport.jobEventsOf(jobEvents, jobId).stream()
                .filter(JobStatusChanged.class::isInstance)
                .map(event -> ((JobStatusChanged) event).status())
                .toList();
    }

    @Test
    void aClusterWithLiveJobsIsNotDeletedAndTheAnswerNamesThemAndWhatToDo() {
        String cluster = runningCluster(companion, TEAM_A, "busy");
        String live = runningJob(cluster);
        String over = runningJob(cluster);
        as(TEAM_A).post("/api/v1/jobs/{id}/cancel", over).then().statusCode(202);
        awaitJob(over, "CANCELED");

        as(TEAM_A).delete("/api/v1/clusters/{id}", cluster).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo(ClusterInUse.TYPE))
                .body("jobs.id", contains(live))
                .body("jobs[0].status", equalTo("RUNNING"))
                .body("detail", containsString(live))
                .body("detail", containsString("Stop, cancel or migrate them first"))
                .body("detail", containsString("?force=true"))
                .body("errors[0].field", equalTo("force"));
        as(TEAM_A).get("/api/v1/clusters/{id}", cluster).then().body("status", equalTo("RUNNING"));
        as(TEAM_A).get("/api/v1/jobs/{id}", live).then().body("status", equalTo("RUNNING"));

        // A job with an action in progress is live too, whatever its status says.
        as(TEAM_A).post("/api/v1/jobs/{id}/stop", live).then().statusCode(202);
        awaitJob(live, "FINISHED");
        as(TEAM_A).delete("/api/v1/clusters/{id}", cluster).then().statusCode(oneOf(200, 202)).body("status", oneOf("DELETING", "DELETED"));
    }

    @Test
    void forceCancelsTheJobsWithTheClusterAndTheyCanOnlyMoveOn() {
        String cluster = runningCluster(companion, TEAM_A, "forced");
        String other = runningCluster(companion, TEAM_A, "refuge");
        String id = runningJob(cluster);

        as(TEAM_A).queryParam("force", true).delete("/api/v1/clusters/{id}", cluster).then().statusCode(202)
                .body("status", equalTo("DELETING"));
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("status", equalTo("CANCELED"))
                .body("operation", nullValue())
                .body("statusReason", containsString("cluster " + cluster + " was deleted with force=true while the job was RUNNING"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(statusesOf(id)).endsWith(JobStatus.RUNNING, JobStatus.CANCELED));

        // Nothing runs on a deleted cluster again; the job can move to another one.
        as(TEAM_A).post("/api/v1/jobs/{id}/restart", id).then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("clusterId")).body("detail", containsString("/migrate"));
        as(TEAM_A).body("{\"version\":1}").post("/api/v1/jobs/{id}/rollback", id).then().statusCode(409);
        as(TEAM_A).body("{\"clusterId\":\"" + cluster + "\"}").post("/api/v1/jobs/{id}/migrate", id).then().statusCode(400);
        String fresh = runningJob(other);
        as(TEAM_A).body("{\"clusterId\":\"" + cluster + "\"}").post("/api/v1/jobs/{id}/migrate", fresh).then().statusCode(409)
                .body("errors[0].field", equalTo("clusterId"));
        JobsTest.upload(TEAM_A, JobsTest.JAR, cluster, JobsTest.MAIN).post("/api/v1/jobs").then().statusCode(409);

        as(TEAM_A).body("{\"clusterId\":\"" + other + "\"}").post("/api/v1/jobs/{id}/migrate", id).then().statusCode(202);
        await().atMost(WAIT).untilAsserted(() -> as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("clusterId", equalTo(other)).body("status", equalTo("RUNNING")).body("operation", nullValue()));
    }

    @Test
    void aRunningJobWhoseClusterIsGoneIsNotLeftRunning() throws Exception {
        String cluster = runningCluster(companion, TEAM_A, "vanish");
        String id = runningJob(cluster);
        // As a deletion by an earlier release of the service (which did not look at jobs) left it.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "update clusters set lifecycle = 'DELETING', status = 'DELETING' where id = ?")) {
            delete.setString(1, cluster);
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        awaitJob(id, "CANCELED");
        as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("statusReason", containsString("cluster " + cluster + " was deleted (DELETING)"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(statusesOf(id)).endsWith(JobStatus.CANCELED));
    }
}
