package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.awaitJob;
import static dev.slipway.submission.TestSupport.job;
import static dev.slipway.submission.TestSupport.restart;
import static dev.slipway.submission.TestSupport.runningCluster;
import static dev.slipway.submission.TestSupport.runningJob;
import static dev.slipway.submission.TestSupport.savepoint;
import static dev.slipway.submission.TestSupport.stop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Savepoint retention against the JobManager double: the reconciler disposes of a job's savepoints beyond the newest
 * {@code savepoints-kept} (2 in the test profile) through Flink's {@code POST /savepoint-disposal}, never one the job may start
 * from, and records the outcome on the savepoint, which the job's history keeps showing.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TestingFlink.class)
class SavepointRetentionTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void onlyTheNewestSavepointsStayAndOlderOnesAreDisposedOfThroughFlink() {
        String cluster = runningCluster(companion, TEAM_A, "spkeep");
        String id = runningJob(cluster);
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        List<String> taken = List.of(savepoint(id), savepoint(id), savepoint(id), savepoint(id));

        await().atMost(WAIT).untilAsserted(() -> assertThat(flink.disposed).containsExactlyInAnyOrder(taken.get(0), taken.get(1)));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath job = job(id);
            assertThat(job.getList("savepoints.path", String.class)).containsExactlyElementsOf(taken);
            assertThat(job.getList("savepoints.disposedAt", String.class)).hasSize(4).satisfies(disposedAt -> {
                assertThat(disposedAt.subList(0, 2)).doesNotContainNull();
                assertThat(disposedAt.subList(2, 4)).containsOnlyNulls();
            });
        });
        assertThat(job(id).getString("latestSavepoint")).isEqualTo(taken.get(3));
    }

    @Test
    void theSavepointTheRunRestoredFromStaysAndADisposalFlinkRefusesIsNotTriedAgain() {
        String cluster = runningCluster(companion, TEAM_A, "sprest");
        String id = runningJob(cluster);
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        flink.refuseDisposals = "Permission denied: savepoint-1";
        String first = savepoint(id);
        String stopped = stop(id);
        restart(id);
        assertThat(job(id).getString("restoredFrom.path")).isEqualTo(stopped);
        String third = savepoint(id);
        String fourth = savepoint(id);

        // Beyond the newest two are the stop's savepoint, which the run restored from, and the first: only the first goes,
        // and Flink refuses.
        await().atMost(WAIT).untilAsserted(() -> assertThat(job(id).getString("savepoints[0].disposalError"))
                .contains("Permission denied: savepoint-1"));
        assertThat(job(id).getString("savepoints[1].path")).isEqualTo(stopped);

        flink.refuseDisposals = null;
        savepoint(id);
        await().atMost(WAIT).untilAsserted(() -> assertThat(flink.disposed).containsExactly(third));
        assertThat(Collections.frequency(flink.disposals.values(), first)).as("disposals asked of the first").isEqualTo(1);
        assertThat(flink.disposals.values()).doesNotContain(stopped, fourth);
        JsonPath job = job(id);
        assertThat(job.getString("savepoints[1].disposedAt")).isNull();
        assertThat(job.getString("savepoints[0].disposedAt")).isNull();
    }

    @Test
    void aJobWhoseRunEndedKeepsOnlyItsNewestSavepointsToo() {
        String cluster = runningCluster(companion, TEAM_A, "spended");
        String id = runningJob(cluster);
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        String first = savepoint(id);
        String second = savepoint(id);
        // Stopped with a savepoint: the third, taken as the run ends, so retention finds it with no run alive.
        String stopped = stop(id);
        assertThat(stopped).isNotIn(first, second);

        await().atMost(WAIT).untilAsserted(() -> assertThat(flink.disposed).containsExactly(first));
        JsonPath job = job(id);
        assertThat(job.getString("status")).isEqualTo("FINISHED");
        assertThat(job.getList("savepoints.path", String.class)).containsExactly(first, second, stopped);
        assertThat(job.getString("savepoints[0].disposedAt")).isNotNull();
        assertThat(job.getList("savepoints.disposedAt", String.class).subList(1, 3)).containsOnlyNulls();
    }

    @Test
    void aSavepointNoRunStartsFromAnyMoreGoesWhenTheNextRunStartsElsewhere() {
        String cluster = runningCluster(companion, TEAM_A, "spagain");
        String id = runningJob(cluster);
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        String first = savepoint(id);
        String stopped = stop(id);
        restart(id);
        savepoint(id);
        String fourth = savepoint(id);
        // Beyond the newest two: the stop's, which the run restored from (stays), and the first (goes).
        await().atMost(WAIT).untilAsserted(() -> assertThat(flink.disposed).containsExactly(first));

        // Cancelled without a savepoint and restarted from the newest: no run starts from the stop's savepoint any more.
        as(TEAM_A).post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        awaitJob(id, "CANCELED");
        restart(id);
        assertThat(job(id).getString("restoredFrom.path")).isEqualTo(fourth);
        await().atMost(WAIT).untilAsserted(() -> assertThat(flink.disposed).containsExactlyInAnyOrder(first, stopped));
    }

    @Test
    void aSavepointAnotherJobStartedFromStays() {
        String cluster = runningCluster(companion, TEAM_A, "spother");
        String id = runningJob(cluster);
        TestingFlink.JobManager flink = TestingFlink.jobManager(cluster);
        String first = savepoint(id);
        runningJob(JobsTest.upload(TEAM_A, JobsTest.JAR, cluster, JobsTest.MAIN).multiPart("savepointPath", first));
        String second = savepoint(id);
        savepoint(id);
        savepoint(id);

        // Beyond the newest two are the second and the first, which the other job's version starts from: only the second goes.
        await().atMost(WAIT).untilAsserted(() -> assertThat(flink.disposed).containsExactly(second));
        assertThat(flink.disposals.values()).doesNotContain(first);
        assertThat(job(id).getString("savepoints[0].disposedAt")).isNull();
    }
}
