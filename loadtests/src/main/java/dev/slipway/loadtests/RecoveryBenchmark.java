package dev.slipway.loadtests;

import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.e2e.FlinkRest;
import dev.slipway.e2e.Platform;
import dev.slipway.scheduling.replay.Percentiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long a running stateful job (KeyedCounts, parallelism 2, a checkpoint every 500 ms) is down when a process under
 * it is killed with {@code kill -9}, on one platform with real Flink 2.2 processes and ZooKeeper high availability:
 * <ul>
 * <li>{@code jobmanager}: the only JobManager; the platform replaces it and the new one recovers the job from ZooKeeper;</li>
 * <li>{@code standby}: the leading JobManager of a cluster with a standby, which takes the lead;</li>
 * <li>{@code taskmanager}: the TaskManager running the job; the platform tells Flink at once and starts another.</li>
 * </ul>
 * Each kill is timed from the kill to all of the job's tasks RUNNING again; for JobManager kills it also counts the
 * checkpoints lost: completed before the kill but newer than the one the job restored from.
 *
 * <p>Run: {@code ./mvnw -B install -DskipTests && ./mvnw -B -pl loadtests exec:exec@recovery [-Dbench.recovery.kills=5]
 * [-Dbench.recovery.kinds=jobmanager,standby,taskmanager]}
 */
public final class RecoveryBenchmark {

    private static final ProcessSize SIZE = new ProcessSize(0.5, 1024, 0);
    private static final String JOB = "dev.slipway.flink.examples.KeyedCounts";

    private RecoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> kinds = List.of((args.length > 1 ? args[1] : "jobmanager,standby,taskmanager").split(","));
        Map<String, List<Long>> recoveryMillis = new LinkedHashMap<>();
        Map<String, List<Long>> lostCheckpoints = new LinkedHashMap<>();
        try (Platform platform = new Platform("recovery-benchmark")) {
            for (String kind : kinds) {
                String cluster = "recover-" + kind;
                platform.createCluster(cluster, spec(cluster, kind.equals("standby") ? 2 : 1));
                FlinkRest flink = platform.awaitJobManager(cluster);
                String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
                String job = flink.run(jar, JOB, 2, List.of("--out", platform.work.resolve("counts").resolve(cluster).toString(),
                        "--rate", "100", "--checkpoint-ms", "500"));
                for (int kill = 1; kill <= kills; kill++) {
                    long completedBefore = awaitCheckpointed(platform, cluster, job);
                    String victim = victim(platform, cluster, kind);
                    long start = System.nanoTime();
                    ProcessHandle.of(platform.pid(cluster, victim)).orElseThrow().destroyForcibly();
                    FlinkRest[] answering = new FlinkRest[1];
                    await(kind + " kill " + kill + ": job RUNNING again").atMost(Duration.ofSeconds(180))
                            .pollInterval(Duration.ofMillis(100)).until(() -> {
                                answering[0] = platform.awaitJobManager(cluster);
                                return answering[0].allRunning(job) && restoredAfter(answering[0], job, start);
                            });
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    long restored = answering[0].restoredCheckpoint(job);
                    long lost = Math.max(0, completedBefore - restored);
                    recoveryMillis.computeIfAbsent(kind, key -> new ArrayList<>()).add(millis);
                    lostCheckpoints.computeIfAbsent(kind, key -> new ArrayList<>()).add(lost);
                    System.out.printf("%-11s kill %d of %s: RUNNING again after %5d ms, restored checkpoint %d (latest before the kill:"
                            + " %d)%n", kind, kill, victim, millis, restored, completedBefore);
                }
                platform.deleteCluster(cluster);
                await("pods of " + cluster + " gone").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> platform.localPods().stream().noneMatch(pod -> pod.startsWith(cluster + "/")));
            }
        }
        System.out.println();
        System.out.println("kill -9 of   | kills | p50 ms | max ms | checkpoints lost");
        recoveryMillis.forEach((kind, values) -> System.out.printf("%-12s | %5d | %6d | %6d | %d%n", kind, values.size(),
                percentile(values, 50), percentile(values, 100), lostCheckpoints.get(kind).stream().mapToLong(Long::longValue).sum()));
    }

    private static ClusterSpec spec(String name, int jobManagers) {
        return new ClusterSpec(name, "bench", ClusterMode.ELASTIC, "2.2.0", SIZE, jobManagers, SIZE, 2, 0, new ElasticPolicy(0, 4, 300), 0,
                null, null, Map.of());
    }

    /** Until the job runs and has completed two checkpoints since it last (re)started; answers the latest one's id. */
    private static long awaitCheckpointed(Platform platform, String cluster, String job) {
        long[] latest = new long[1];
        await("job " + job + " checkpointing").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
            FlinkRest flink = platform.awaitJobManager(cluster);
            if (!flink.allRunning(job)) {
                return false;
            }
            if (flink.completedCheckpoints(job) == 0) {
                return false;
            }
            Long restored = flink.restoredCheckpoint(job);
            latest[0] = flink.latestCompletedCheckpoint(job);
            return latest[0] >= (restored == null ? 0 : restored) + 2;
        });
        return latest[0];
    }

    private static String victim(Platform platform, String cluster, String kind) {
        if (kind.equals("taskmanager")) {
            return platform.liveTaskManagers(cluster).get(0);
        }
        List<String> ready = platform.pods(cluster).getList("findAll { it.role == 'JOB_MANAGER' && it.status == 'READY' }.name");
        if (kind.equals("jobmanager")) {
            return ready.get(0);
        }
        await("a standby beside the leader").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> platform.pods(cluster).getList("findAll { it.role == 'JOB_MANAGER' && it.status == 'READY' }").size() == 2);
        return platform.pods(cluster).<String>getList("findAll { it.role == 'JOB_MANAGER' && it.status == 'READY' }.name").stream()
                .filter(pod -> platform.leads(cluster, pod)).findFirst().orElseThrow();
    }

    /** The job restored after the kill: Flink's latest restore happened after {@code startNanos}. */
    private static boolean restoredAfter(FlinkRest flink, String job, long startNanos) {
        Long restoredAt = flink.restoredAtMillis(job);
        long startMillis = System.currentTimeMillis() - (System.nanoTime() - startNanos) / 1_000_000;
        return restoredAt != null && restoredAt >= startMillis - 50;
    }

    private static long percentile(List<Long> values, double p) {
        return Percentiles.of(values.stream().mapToLong(Long::longValue).toArray(), p);
    }
}
