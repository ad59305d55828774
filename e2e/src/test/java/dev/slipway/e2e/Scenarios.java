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

/** Steps the end-to-end tests share, whatever the Flink version. */
final class Scenarios {

    static final ProcessSize SIZE = new ProcessSize(0.5, 1024, 0);
    static final String BOUNDED_SUM = "dev.slipway.flink.examples.BoundedSum";
    static final String STEADY_STREAM = "dev.slipway.flink.examples.SteadyStream";
    static final long N = 2_000_000;

    private Scenarios() {
    }

    /** TaskManagers of 2 slots, at most 4 of them. */
    static ClusterSpec elastic(String name, String flinkVersion, int warmPool, long idleSeconds) {
        return new ClusterSpec(name, "team-a", ClusterMode.ELASTIC, flinkVersion, SIZE, 1, SIZE, 2, 0,
                new ElasticPolicy(warmPool, 4, idleSeconds), 0, null, null, Map.of());
    }

    static ClusterSpec staticCluster(String name, String flinkVersion, int taskManagers) {
        return new ClusterSpec(name, "team-a", ClusterMode.STATIC, flinkVersion, SIZE, 1, SIZE, 2, taskManagers, null, 0, null, null,
                Map.of());
    }

    /** Runs BoundedSum over 1..N and checks Flink's accumulators hold the right sum. */
    static void runBoundedSumToItsResult(Platform platform, FlinkRest flink, int parallelism) {
        String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
        String job = flink.run(jar, BOUNDED_SUM, parallelism, List.of("--n", Long.toString(N)));
        await("job " + job + " finished").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.jobState(job), state -> state.equals("FINISHED") || state.equals("FAILED"));
        assertThat(flink.jobState(job)).isEqualTo("FINISHED");
        assertThat(flink.accumulator(job, "sum")).isEqualTo(Long.toString(N * (N + 1) / 2));
        assertThat(flink.accumulator(job, "count")).isEqualTo(Long.toString(N));
    }

    /** TaskManagers provisioned for Flink's requests (not for the warm pool or a STATIC count). */
    static List<String> requestedTaskManagers(Platform platform, String cluster) {
        return platform.decisions(cluster)
                .getList("findAll { it.type == 'ProvisionPod' && it.role == 'TASK_MANAGER' && it.requestId != null }.podName");
    }

    /** Flink releases idle TaskManagers after its idle timeout; the platform deletes them and their processes end. */
    static void awaitIdleTaskManagersReleased(Platform platform, String cluster) {
        await("idle TaskManagers released").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> platform.localPods().stream().filter(pod -> pod.startsWith(cluster + "/")).toList(),
                        pods -> pods.equals(List.of(cluster + "/" + cluster + "-jm-0")));
        assertThat(platform.decisions(cluster).getList("reason", String.class)).anyMatch(reason -> reason.startsWith("Flink released"));
        assertThat(platform.liveTaskManagers(cluster)).isEmpty();
    }

    /**
     * {@code count} TaskManagers registered with all their {@code slots} free. A TaskManager is listed as soon as it
     * registers and reports its slots a moment later: a job submitted in between finds too few slots and asks for more.
     */
    static void awaitIdleTaskManagers(FlinkRest flink, int count, int slots) {
        await(count + " TaskManagers registered with their slots").atMost(Duration.ofSeconds(60))
                .until(() -> flink.freeSlots().values(), free -> free.size() == count && free.stream().allMatch(n -> n == slots));
    }

    /** Two tasks on two TaskManagers of two slots: SLOTS load balancing puts one on each. */
    static void assertTwoTasksSpreadOnePerTaskManager(Platform platform, FlinkRest flink) {
        String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
        String streaming = flink.run(jar, STEADY_STREAM, 2, List.of("--rate", "100"));
        await("streaming job running").atMost(Duration.ofSeconds(60))
                .until(() -> flink.vertexStates(streaming).stream().allMatch("RUNNING"::equals));
        assertThat(flink.freeSlots().values()).containsExactly(1, 1);
        flink.cancel(streaming);
        await("streaming job cancelled").atMost(Duration.ofSeconds(30)).until(() -> flink.jobState(streaming).equals("CANCELED"));
    }

    /** Flink keeps its floor: the idle warm TaskManagers outlive several idle timeouts. */
    static void awaitWarmPoolStays(Platform platform, FlinkRest flink, String cluster, int size) {
        await("the warm pool stays").during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20))
                .until(() -> flink.taskManagers().size() == size && platform.liveTaskManagers(cluster).size() == size);
    }
}
