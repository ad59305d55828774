package dev.slipway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.ProcessSize;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The elastic loop end to end with real processes: Flink's resource manager asks the platform for
 * TaskManagers, the scheduler decides, the provisioner starts Flink processes, jobs run to their
 * result, failed TaskManagers are replaced and idle ones go away. One platform serves every test;
 * each test has its own cluster.
 */
class ElasticClusterTest {

    private static final ProcessSize JOB_MANAGER = new ProcessSize(0.5, 1024, 0);
    private static final ProcessSize TASK_MANAGER = new ProcessSize(0.5, 1024, 0);
    private static final String BOUNDED_SUM = "dev.slipway.flink.examples.BoundedSum";
    private static final String STEADY_STREAM = "dev.slipway.flink.examples.SteadyStream";
    private static final long N = 2_000_000;

    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new Platform("elastic");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    static ClusterSpec elastic(String name, int warmPool, long idleSeconds) {
        return new ClusterSpec(name, "team-a", ClusterMode.ELASTIC, "2.2.0", JOB_MANAGER, 1, TASK_MANAGER, 2, 0,
                new ElasticPolicy(warmPool, 4, idleSeconds), 0, null, null, Map.of());
    }

    static ClusterSpec staticCluster(String name, int taskManagers) {
        return new ClusterSpec(name, "team-a", ClusterMode.STATIC, "2.2.0", JOB_MANAGER, 1, TASK_MANAGER, 2, taskManagers, null, 0,
                null, null, Map.of());
    }

    /** Runs BoundedSum over 1..N and checks Flink's accumulators hold the right sum. */
    private static void runBoundedSumToItsResult(FlinkRest flink, int parallelism) {
        String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
        String job = flink.run(jar, BOUNDED_SUM, parallelism, List.of("--n", Long.toString(N)));
        await("job " + job + " finished").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.jobState(job), state -> state.equals("FINISHED") || state.equals("FAILED"));
        assertThat(flink.jobState(job)).isEqualTo("FINISHED");
        assertThat(flink.accumulator(job, "sum")).isEqualTo(Long.toString(N * (N + 1) / 2));
        assertThat(flink.accumulator(job, "count")).isEqualTo(Long.toString(N));
    }

    private static List<String> requestedTaskManagers(String cluster) {
        return platform.decisions(cluster).getList("findAll { it.type == 'ProvisionPod' && it.role == 'TASK_MANAGER' && it.requestId != null }.podName");
    }

    @Test
    void fromZeroTaskManagersAJobGetsWhatItAsksForRunsToItsResultAndTheTaskManagersGoWhenIdle() throws Exception {
        String cluster = "elastic-zero";
        platform.createCluster(cluster, elastic(cluster, 0, 8));
        FlinkRest flink = platform.awaitJobManager(cluster);
        assertThat(flink.taskManagers()).isEmpty();

        runBoundedSumToItsResult(flink, 4);

        // Parallelism 4 on 2 slots per TaskManager: Flink asked for two, each served by a new pod.
        assertThat(requestedTaskManagers(cluster)).hasSize(2);

        // Idle TaskManagers: Flink releases them after its idle timeout, the platform deletes them.
        await("idle TaskManagers released").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> platform.localPods().stream().filter(pod -> pod.startsWith(cluster + "/")).toList(),
                        pods -> pods.equals(List.of(cluster + "/" + cluster + "-jm-0")));
        assertThat(platform.decisions(cluster).getList("reason", String.class)).anyMatch(reason -> reason.startsWith("Flink released"));
        assertThat(platform.liveTaskManagers(cluster)).isEmpty();
    }

    @Test
    void withAWarmPoolAJobStartsOnTaskManagersThatAreAlreadyThereAndThePoolStays() throws Exception {
        String cluster = "elastic-warm";
        platform.createCluster(cluster, elastic(cluster, 2, 5));
        FlinkRest flink = platform.awaitJobManager(cluster);
        await("warm TaskManagers registered").atMost(Duration.ofSeconds(60)).until(() -> flink.taskManagers().size() == 2);

        runBoundedSumToItsResult(flink, 4);

        assertThat(requestedTaskManagers(cluster)).as("no TaskManager had to be requested").isEmpty();
        // Flink keeps its floor: the idle warm TaskManagers outlive several idle timeouts.
        await("the warm pool stays").during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
                .until(() -> flink.taskManagers().size() == 2 && platform.liveTaskManagers(cluster).size() == 2);
    }

    @Test
    void aStaticClusterRunsOnItsFixedTaskManagersWithSlotsSpreadEvenly() throws Exception {
        String cluster = "static-two";
        platform.createCluster(cluster, staticCluster(cluster, 2));
        FlinkRest flink = platform.awaitJobManager(cluster);
        await("static TaskManagers registered").atMost(Duration.ofSeconds(60)).until(() -> flink.taskManagers().size() == 2);

        // Two tasks on two TaskManagers of two slots: SLOTS load balancing puts one on each.
        String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
        String streaming = flink.run(jar, STEADY_STREAM, 2, List.of("--rate", "100"));
        await("streaming job running").atMost(Duration.ofSeconds(60))
                .until(() -> flink.vertexStates(streaming).stream().allMatch("RUNNING"::equals));
        assertThat(flink.freeSlots().values()).containsExactly(1, 1);
        flink.cancel(streaming);
        await("streaming job cancelled").atMost(Duration.ofSeconds(30)).until(() -> flink.jobState(streaming).equals("CANCELED"));

        runBoundedSumToItsResult(flink, 4);
        assertThat(requestedTaskManagers(cluster)).isEmpty();
        assertThat(platform.liveTaskManagers(cluster)).hasSize(2);
    }

    @Test
    void aTaskManagerKilledMidJobIsReplacedAndTheJobRecoversFromItsCheckpoint() throws Exception {
        String cluster = "elastic-recover";
        platform.createCluster(cluster, elastic(cluster, 0, 30));
        FlinkRest flink = platform.awaitJobManager(cluster);
        String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
        String job = flink.run(jar, STEADY_STREAM, 4, List.of("--rate", "200", "--checkpoint-ms", "500"));
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
}
