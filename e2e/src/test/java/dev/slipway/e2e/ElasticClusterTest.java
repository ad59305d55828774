package dev.slipway.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The elastic loop end to end with real processes: Flink's resource manager asks the platform for
 * TaskManagers, the scheduler decides, the provisioner starts Flink processes, jobs run to their
 * result, failed TaskManagers are replaced and idle ones go away. One platform serves every test;
 * each test has its own cluster.
 */
class ElasticClusterTest {

    private static final String FLINK_VERSION = "2.2.0";

    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = Platform.shared();
    }

    /** Each test's cluster goes when the test ends: the processes of earlier tests do not take the CPU of later ones. */
    @AfterEach
    void deleteClusters() throws Exception {
        if (platform != null) {
            platform.deleteClusters();
        }
    }

    /** Also: the cluster's tokens are revoked before the job, and its running JobManager asks with the new one. */
    @Test
    void fromZeroTaskManagersAJobGetsWhatItAsksForRunsToItsResultAndTheTaskManagersGoWhenIdle() throws Exception {
        String cluster = "elastic-zero";
        platform.createCluster(cluster, Scenarios.elastic(cluster, FLINK_VERSION, 0, 8));
        FlinkRest flink = platform.awaitJobManager(cluster);
        assertThat(flink.taskManagers()).isEmpty();
        String oldToken = platform.clusterToken(cluster);

        platform.revokeTokens(cluster, 1);

        // The provisioner hands the running JobManager its new token; the scheduler refuses the old one.
        Path tokenFile = platform.podsRoot().resolve(cluster).resolve(cluster + "-jm-0").resolve("conf").resolve("cluster-token");
        await("the JobManager's token renewed").atMost(Duration.ofSeconds(30))
                .until(() -> Files.readString(tokenFile), token -> token.equals(platform.clusterToken(cluster)));
        assertThat(Files.getPosixFilePermissions(tokenFile)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        await("the old token refused").atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", "Bearer " + oldToken)
                .get(platform.scheduler.url() + "/api/v1/clusters/" + cluster + "/pods").statusCode() == 403);

        // Flink's resource manager asks for TaskManagers with the new token, and gets them.
        Scenarios.runBoundedSumToItsResult(platform, flink, 4);

        // Parallelism 4 on 2 slots per TaskManager: Flink asked for two, each served by a new pod.
        assertThat(Scenarios.requestedTaskManagers(platform, cluster)).hasSize(2);

        Scenarios.awaitIdleTaskManagersReleased(platform, cluster);
    }

    @Test
    void withAWarmPoolAJobStartsOnTaskManagersThatAreAlreadyThereAndThePoolStays() throws Exception {
        String cluster = "elastic-warm";
        platform.createCluster(cluster, Scenarios.elastic(cluster, FLINK_VERSION, 2, 5));
        FlinkRest flink = platform.awaitJobManager(cluster);
        Scenarios.awaitIdleTaskManagers(flink, 2, 2);

        Scenarios.runBoundedSumToItsResult(platform, flink, 4);

        assertThat(Scenarios.requestedTaskManagers(platform, cluster)).as("no TaskManager had to be requested").isEmpty();
        Scenarios.awaitWarmPoolStays(platform, flink, cluster, 2);
    }

    @Test
    void aStaticClusterRunsOnItsFixedTaskManagersWithSlotsSpreadEvenly() throws Exception {
        String cluster = "static-two";
        platform.createCluster(cluster, Scenarios.staticCluster(cluster, FLINK_VERSION, 2));
        FlinkRest flink = platform.awaitJobManager(cluster);
        Scenarios.awaitIdleTaskManagers(flink, 2, 2);

        Scenarios.assertTwoTasksSpreadOnePerTaskManager(platform, flink);

        Scenarios.runBoundedSumToItsResult(platform, flink, 4);
        assertThat(Scenarios.requestedTaskManagers(platform, cluster)).isEmpty();
        assertThat(platform.liveTaskManagers(cluster)).hasSize(2);
    }

    @Test
    void aTaskManagerKilledMidJobIsReplacedAndTheJobRecoversFromItsCheckpoint() throws Exception {
        String cluster = "elastic-recover";
        platform.createCluster(cluster, Scenarios.elastic(cluster, FLINK_VERSION, 0, 30));
        FlinkRest flink = platform.awaitJobManager(cluster);
        String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
        String job = flink.run(jar, Scenarios.STEADY_STREAM, 4, List.of("--rate", "200", "--checkpoint-ms", "500"));
        await("running with a checkpoint").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.vertexStates(job).stream().allMatch("RUNNING"::equals) && flink.completedCheckpoints(job) >= 2);
        List<String> before = platform.liveTaskManagers(cluster);
        assertThat(before).hasSize(2);

        String victim = before.get(0);
        ProcessHandle.of(platform.pid(cluster, victim)).orElseThrow().destroyForcibly();

        await("replaced and recovered").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.restoredCheckpoint(job) != null && flink.vertexStates(job).stream().allMatch("RUNNING"::equals));
        List<String> after = platform.liveTaskManagers(cluster);
        assertThat(after).hasSize(2).doesNotContain(victim);
        assertThat(platform.decisions(cluster).getList("reason", String.class))
                .anyMatch(reason -> reason.startsWith(victim + " failed (Killed, exit 137)"));
        flink.cancel(job);
    }

    @Test
    void aJobManagerKilledIsReplacedAndRecoversTheRunningJobFromItsLatestCheckpoint() throws Exception {
        String cluster = "elastic-ha";
        platform.createCluster(cluster, Scenarios.elastic(cluster, FLINK_VERSION, 0, 60));
        Duration recovery = Scenarios.jobManagerKilledTheJobRecoversFromItsLatestCheckpoint(platform, cluster);
        System.out.printf("Flink %s: JobManager killed, job RUNNING again from its checkpoint after %d ms%n", FLINK_VERSION,
                recovery.toMillis());
    }

    @Test
    void aStandbyJobManagerTakesTheLeadAndRecoversTheJobWithoutWaitingForANewPod() throws Exception {
        String cluster = "elastic-standby";
        platform.createCluster(cluster, Scenarios.elasticWithStandby(cluster, FLINK_VERSION));
        Duration recovery = Scenarios.standbyJobManagerTakesOverTheRunningJob(platform, cluster);
        System.out.printf("Flink %s: leading JobManager killed, the standby runs the job again after %d ms%n", FLINK_VERSION,
                recovery.toMillis());
    }

    @Test
    void zooKeeperRestartedUnderARunningJobLosesNothing() throws Exception {
        String cluster = "elastic-zk";
        platform.createCluster(cluster, Scenarios.elastic(cluster, FLINK_VERSION, 0, 60));
        Scenarios.zooKeeperRestartedTheJobGoesOn(platform, cluster);
    }
}
