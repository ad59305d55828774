package dev.slipway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The elastic loop on Flink 1.20 (the LTS line): the same resource manager jar and the same example
 * jobs jar as on 2.2 (both are built once, against 2.2, and are binary compatible with 1.20.3), run
 * on {@code flink/dist-1.20}'s classpath. Checks what could differ between the lines: Flink 1.20's
 * slot manager asking the platform for workers and releasing them, and its slot spreading.
 */
class ElasticClusterFlink120Test {

    private static final String FLINK_VERSION = "1.20.3";
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

    private static String log(String cluster, String pod) throws Exception {
        return Files.readString(platform.work.resolve("pods").resolve(cluster).resolve(pod).resolve(pod + ".log"));
    }

    @Test
    void fromZeroTaskManagersAFlink120JobGetsWhatItAsksForRunsToItsResultAndTheTaskManagersGoWhenIdle() throws Exception {
        String cluster = "lts-zero";
        platform.createCluster(cluster, Scenarios.elastic(cluster, FLINK_VERSION, 0, 8));
        FlinkRest flink = platform.awaitJobManager(cluster);
        assertThat(flink.taskManagers()).isEmpty();
        // Flink 1.20 runs the platform's entrypoint and resource manager.
        assertThat(log(cluster, cluster + "-jm-0")).contains("Starting SlipwaySessionClusterEntrypoint")
                .contains("Version: " + FLINK_VERSION);

        Scenarios.runBoundedSumToItsResult(platform, flink, 4);

        // Parallelism 4 on 2 slots per TaskManager: Flink 1.20 asked for two, each served by a new pod.
        List<String> requested = Scenarios.requestedTaskManagers(platform, cluster);
        assertThat(requested).hasSize(2);
        for (String taskManager : requested) {
            assertThat(log(cluster, taskManager)).contains("Version: " + FLINK_VERSION)
                    .contains("Successful registration at resource manager");
        }

        Scenarios.awaitIdleTaskManagersReleased(platform, cluster);
    }

    @Test
    void onFlink120AWarmPoolServesTheJobAndItsSlotsSpreadOnePerTaskManager() throws Exception {
        String cluster = "lts-warm";
        platform.createCluster(cluster, Scenarios.elastic(cluster, FLINK_VERSION, 2, 5));
        FlinkRest flink = platform.awaitJobManager(cluster);
        Scenarios.awaitIdleTaskManagers(flink, 2, 2);

        // 1.20's taskmanager.load-balance.mode SLOTS spreads too.
        Scenarios.assertTwoTasksSpreadOnePerTaskManager(platform, flink);

        assertThat(Scenarios.requestedTaskManagers(platform, cluster)).as("no TaskManager had to be requested").isEmpty();
        Scenarios.awaitWarmPoolStays(platform, flink, cluster, 2);
    }

    @Test
    void onFlink120AJobManagerKilledIsReplacedAndRecoversTheRunningJobFromItsLatestCheckpoint() throws Exception {
        String cluster = "lts-ha";
        platform.createCluster(cluster, Scenarios.elastic(cluster, FLINK_VERSION, 0, 60));
        Duration recovery = Scenarios.jobManagerKilledTheJobRecoversFromItsLatestCheckpoint(platform, cluster);
        System.out.printf("Flink %s: JobManager killed, job RUNNING again from its checkpoint after %d ms%n", FLINK_VERSION,
                recovery.toMillis());
    }
}
