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
 * TaskManagers, the scheduler decides, the provisioner starts Flink processes, the job runs to its
 * result, and idle TaskManagers go away.
 */
class ElasticClusterTest {

    private static final ProcessSize JOB_MANAGER = new ProcessSize(0.5, 1024, 0);
    private static final ProcessSize TASK_MANAGER = new ProcessSize(0.5, 1024, 0);
    private static final String BOUNDED_SUM = "dev.slipway.flink.examples.BoundedSum";

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

    private static ClusterSpec elastic(String name, int warmPool, long idleSeconds) {
        return new ClusterSpec(name, "team-a", ClusterMode.ELASTIC, "2.2.0", JOB_MANAGER, 1, TASK_MANAGER, 2, 0,
                new ElasticPolicy(warmPool, 4, idleSeconds), 0, null, null, Map.of());
    }

    @Test
    void fromZeroTaskManagersAJobGetsWhatItAsksForRunsToItsResultAndTheTaskManagersGoWhenIdle() throws Exception {
        String cluster = "elastic-zero";
        platform.createCluster(cluster, elastic(cluster, 0, 8));
        FlinkRest flink = platform.awaitJobManager(cluster);
        assertThat(flink.taskManagers()).isEmpty();

        String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
        long n = 2_000_000;
        String job = flink.run(jar, BOUNDED_SUM, 4, List.of("--n", Long.toString(n)));

        await("job " + job + " finished").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.jobState(job), state -> state.equals("FINISHED") || state.equals("FAILED"));
        assertThat(flink.jobState(job)).isEqualTo("FINISHED");
        assertThat(flink.accumulator(job, "sum")).isEqualTo(Long.toString(n * (n + 1) / 2));
        assertThat(flink.accumulator(job, "count")).isEqualTo(Long.toString(n));

        // Parallelism 4 on 2 slots per TaskManager: Flink asked for two, each served by a new pod.
        List<String> provisioned = platform.decisions(cluster)
                .getList("findAll { it.type == 'ProvisionPod' && it.role == 'TASK_MANAGER' }.requestId");
        assertThat(provisioned).hasSize(2).doesNotContainNull();

        // Idle TaskManagers: Flink releases them after its idle timeout, the platform deletes them.
        await("idle TaskManagers released").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> platform.localPods(), pods -> pods.equals(List.of(cluster + "/" + cluster + "-jm-0")));
        assertThat(platform.decisions(cluster).getList("reason", String.class)).anyMatch(reason -> reason.startsWith("Flink released"));
        assertThat(platform.liveTaskManagers(cluster)).isEmpty();
    }
}
