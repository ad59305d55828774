package dev.slipway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.ProcessSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Steps the end-to-end tests share, whatever the Flink version. */
final class Scenarios {

    static final ProcessSize SIZE = new ProcessSize(0.5, 1024, 0);
    static final String BOUNDED_SUM = "dev.slipway.flink.examples.BoundedSum";
    static final String STEADY_STREAM = "dev.slipway.flink.examples.SteadyStream";
    static final String KEYED_COUNTS = "dev.slipway.flink.examples.KeyedCounts";
    private static final Pattern COUNT_LINE = Pattern.compile("(\\d+),(\\d+)");
    static final long N = 2_000_000;

    private Scenarios() {
    }

    /** TaskManagers of 2 slots, at most 4 of them. */
    static ClusterSpec elastic(String name, String flinkVersion, int warmPool, long idleSeconds) {
        return new ClusterSpec(name, "team-a", ClusterMode.ELASTIC, flinkVersion, SIZE, 1, SIZE, 2, 0,
                new ElasticPolicy(warmPool, 4, idleSeconds), 0, null, null, Map.of());
    }

    /** As {@link #elastic}, with a standby JobManager beside the leader. */
    static ClusterSpec elasticWithStandby(String name, String flinkVersion) {
        return new ClusterSpec(name, "team-a", ClusterMode.ELASTIC, flinkVersion, SIZE, 2, SIZE, 2, 0,
                new ElasticPolicy(0, 4, 60), 0, null, null, Map.of());
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

    /**
     * {@code kill -9} of the JobManager of a running stateful job (KeyedCounts): with high availability the platform replaces
     * the JobManager, the new one recovers the same Flink job from the latest checkpoint completed before the kill, the
     * TaskManagers that survived serve it again (its tasks run on them, none elsewhere), and the counts go on without a gap
     * and without starting from nothing. Whether Flink also asks for another TaskManager while it recovers is its own
     * timing: on a loaded machine Flink 1.20's slot manager once did, 0.5 s after it had begun allocating the survivor's
     * slots, and that TaskManager then idled away; which TaskManagers run the job is what the platform answers for.
     * Answers the recovery time, from the kill to all of the job's tasks RUNNING again.
     */
    static Duration jobManagerKilledTheJobRecoversFromItsLatestCheckpoint(Platform platform, String cluster) throws Exception {
        return jobManagerKilledTheJobRecoversFromItsLatestCheckpoint(platform, cluster, Map.of(), job -> { });
    }

    /** What a test checks of a recovered job (its Flink job id) while it still runs. */
    @FunctionalInterface
    interface RunningCheck {
        void check(String flinkJobId) throws Exception;
    }

    /**
     * As above, the job run with this configuration of its own (where its checkpoints go, say), and {@code recovered}
     * checked once the job runs again, before it is cancelled.
     */
    static Duration jobManagerKilledTheJobRecoversFromItsLatestCheckpoint(Platform platform, String cluster,
            Map<String, String> jobConfiguration, RunningCheck recovered) throws Exception {
        FlinkRest flink = platform.awaitJobManager(cluster);
        Path out = countsOf(platform, cluster);
        String job = runningKeyedCounts(platform, cluster, flink, jobConfiguration);
        List<String> taskManagers = platform.liveTaskManagers(cluster);
        String jobManager = platform.pods(cluster).getString("find { it.role == 'JOB_MANAGER' && it.status == 'READY' }.name");
        long checkpointBeforeKill = flink.latestCompletedCheckpoint(job);

        Instant killed = Instant.now();
        ProcessHandle.of(platform.pid(cluster, jobManager)).orElseThrow().destroyForcibly();

        FlinkRest[] replaced = new FlinkRest[1];
        await("job " + job + " recovered by a new JobManager").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    replaced[0] = platform.awaitJobManager(cluster);
                    return replaced[0].allRunning(job);
                });
        Duration recovery = Duration.between(killed, Instant.now());
        assertThat(platform.pods(cluster).getString("find { it.role == 'JOB_MANAGER' && it.status == 'READY' }.name"))
                .as("a new JobManager pod").isNotEqualTo(jobManager);
        assertThat(replaced[0].restoredCheckpoint(job)).as("restored from the latest checkpoint completed before the kill")
                .isGreaterThanOrEqualTo(checkpointBeforeKill);
        assertThat(replaced[0].taskManagersRunning(job)).as("the TaskManagers that survived serve the job again")
                .containsExactlyInAnyOrderElementsOf(taskManagers);
        assertThat(platform.liveTaskManagers(cluster)).as("and are still there").containsAll(taskManagers);
        recovered.check(job);
        countsGoOnThenCancel(replaced[0], job, out);
        return recovery;
    }

    /**
     * {@code kill -9} of the leading JobManager of a cluster with a standby: the standby takes the lead and recovers the job
     * from its latest checkpoint, without waiting for a new JobManager pod (the one the platform starts in its place
     * becomes the new standby). Answers the recovery time, from the kill to all of the job's tasks RUNNING again.
     */
    static Duration standbyJobManagerTakesOverTheRunningJob(Platform platform, String cluster) throws IOException {
        await("two JobManagers ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> platform.pods(cluster).getList("findAll { it.role == 'JOB_MANAGER' && it.status == 'READY' }").size() == 2);
        FlinkRest flink = platform.awaitJobManager(cluster);
        String job = runningKeyedCounts(platform, cluster, flink, Map.of());
        List<String> jobManagers = platform.pods(cluster).getList("findAll { it.role == 'JOB_MANAGER' }.name");
        String leader = jobManagers.stream().filter(pod -> platform.leads(cluster, pod)).findFirst().orElseThrow();
        String standby = jobManagers.stream().filter(pod -> !pod.equals(leader)).findFirst().orElseThrow();
        long checkpointBeforeKill = flink.latestCompletedCheckpoint(job);

        Instant killed = Instant.now();
        ProcessHandle.of(platform.pid(cluster, leader)).orElseThrow().destroyForcibly();
        FlinkRest[] answering = new FlinkRest[1];
        await("job " + job + " recovered by the standby").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    answering[0] = platform.awaitJobManager(cluster);
                    return answering[0].allRunning(job);
                });
        Duration recovery = Duration.between(killed, Instant.now());
        assertThat(platform.leads(cluster, standby)).as(standby + " took the lead").isTrue();
        assertThat(platform.pods(cluster).getList("findAll { it.role == 'JOB_MANAGER' && it.status != 'TERMINATING' }.name",
                String.class)).as("the replacement is a standby now").allSatisfy(pod -> {
                    if (!pod.equals(standby)) {
                        assertThat(platform.leads(cluster, pod)).as(pod + " leads").isFalse();
                    }
                });
        assertThat(answering[0].restoredCheckpoint(job)).isGreaterThanOrEqualTo(checkpointBeforeKill);
        countsGoOnThenCancel(answering[0], job, countsOf(platform, cluster));
        return recovery;
    }

    /**
     * ZooKeeper stopped under a running job and started again: the JobManager loses its connection (and so, by Flink's rule,
     * its lead), then wins it back and the same job goes on from its latest checkpoint, nothing lost.
     */
    static void zooKeeperRestartedTheJobGoesOn(Platform platform, String cluster) throws IOException {
        FlinkRest flink = platform.awaitJobManager(cluster);
        String job = runningKeyedCounts(platform, cluster, flink, Map.of());
        String jobManager = platform.pods(cluster).getString("find { it.role == 'JOB_MANAGER' && it.status == 'READY' }.name");
        Path log = platform.podsRoot().resolve(cluster).resolve(jobManager).resolve(jobManager + ".log");

        platform.zooKeeper.stop();
        try {
            await("the JobManager noticed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(log).contains("Connection to ZooKeeper suspended"));
        } finally {
            platform.zooKeeper.start();
        }
        await("job " + job + " running again").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> platform.awaitJobManager(cluster).allRunning(job));
        countsGoOnThenCancel(platform.awaitJobManager(cluster), job, countsOf(platform, cluster));
    }

    /** Where KeyedCounts of the cluster writes its counts. */
    static Path countsOf(Platform platform, String cluster) {
        return platform.work.resolve("counts").resolve(cluster);
    }

    /** KeyedCounts on the cluster, with this configuration of its own, running with three checkpoints; answers its job id. */
    private static String runningKeyedCounts(Platform platform, String cluster, FlinkRest flink, Map<String, String> configuration) {
        String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
        String job = flink.run(jar, KEYED_COUNTS, 2, List.of("--out", countsOf(platform, cluster).toString(), "--rate", "100",
                "--keys", "8", "--checkpoint-ms", "500"), configuration);
        await("job " + job + " running with checkpoints").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.allRunning(job) && flink.completedCheckpoints(job) >= 3);
        return job;
    }

    /** The counts go on after a recovery; then the job is cancelled and its counts have no gap and no fresh start. */
    private static void countsGoOnThenCancel(FlinkRest flink, String job, Path out) throws IOException {
        long counts = countLines(out);
        await("counts after the recovery").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> countLines(out) > counts + 200);
        flink.cancel(job);
        await("job " + job + " cancelled").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.jobState(job), "CANCELED"::equals);
        assertCountsWithoutGapNorFreshStart(out);
    }

    /** Every log file of the cluster's pods, one after another. */
    static String podLogs(Platform platform, String cluster) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(platform.podsRoot().resolve(cluster))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }

    /**
     * Every key's counts, over every file the job's writers wrote, are 1..max without a hole (no checkpoint lost), and 1 was
     * written once (the job never started over from empty state). Counts after the restored checkpoint are written again:
     * the writes are at least once.
     */
    static void assertCountsWithoutGapNorFreshStart(Path out) throws IOException {
        Map<Long, TreeSet<Long>> counts = new TreeMap<>();
        Map<Long, Integer> ones = new TreeMap<>();
        for (String line : lines(out)) {
            Matcher matcher = COUNT_LINE.matcher(line);
            if (matcher.matches()) {
                long key = Long.parseLong(matcher.group(1));
                long count = Long.parseLong(matcher.group(2));
                counts.computeIfAbsent(key, k -> new TreeSet<>()).add(count);
                if (count == 1) {
                    ones.merge(key, 1, Integer::sum);
                }
            }
        }
        assertThat(counts).as("keys counted").hasSize(8);
        counts.forEach((key, seen) -> {
            assertThat(seen.first()).as("first count of key " + key).isEqualTo(1);
            assertThat(seen).as("counts of key " + key + " without a gap").hasSize(seen.last().intValue());
            assertThat(ones.get(key)).as("key " + key + " counted from 1 only once").isEqualTo(1);
        });
    }

    private static long countLines(Path out) {
        try {
            return lines(out).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(out)) {
            List<String> all = new ArrayList<>();
            for (Path file : files.toList()) {
                all.addAll(Files.readAllLines(file));
            }
            return all;
        }
    }
}
