package dev.slipway.loadtests;

import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.e2e.FlinkRest;
import dev.slipway.e2e.Platform;
import dev.slipway.scheduling.replay.Percentiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time from job submission to all tasks RUNNING on the same machine in three setups: a STATIC cluster
 * of 2 TaskManagers, an ELASTIC cluster with a warm pool of 2, and an ELASTIC cluster from zero (Flink
 * asks for 2). The job is SteadyStream with parallelism 4 (2 TaskManagers of 2 slots). Each round
 * creates fresh clusters on one platform (broker, resource-scheduler, pod-provisioner, Flink processes)
 * and deletes them after. For the from-zero clusters it also reads the JobManager's and provisioner's
 * logs: platform overhead (Flink's request to the TaskManager process launched) against the
 * TaskManager's own start (launched to registered with Flink).
 *
 * <p>Run: {@code ./mvnw -B install -DskipTests && ./mvnw -B -pl loadtests exec:exec@submission [-Dbench.submission.rounds=3]}
 */
public final class SubmissionBenchmark {

    private static final ProcessSize SIZE = new ProcessSize(0.5, 1024, 0);
    private static final String JOB = "dev.slipway.flink.examples.SteadyStream";
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private SubmissionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Map<String, List<Long>> runningMillis = new LinkedHashMap<>();
        List<Long> overheadMillis = new ArrayList<>();
        List<Long> startMillis = new ArrayList<>();
        try (Platform platform = new Platform("submission-benchmark")) {
            for (int round = 0; round < rounds; round++) {
                for (String setup : List.of("static", "warm", "zero")) {
                    String cluster = setup + "-" + round;
                    long millis = submitAndTime(platform, cluster, spec(setup, cluster));
                    runningMillis.computeIfAbsent(setup, key -> new ArrayList<>()).add(millis);
                    System.out.printf("round %d %-6s submission -> all tasks RUNNING: %5d ms%n", round + 1, setup, millis);
                    if (setup.equals("zero")) {
                        platformOverhead(platform, cluster, overheadMillis, startMillis);
                    }
                    platform.deleteCluster(cluster);
                    await("pods of " + cluster + " gone").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .until(() -> platform.localPods().stream().noneMatch(pod -> pod.startsWith(cluster + "/")));
                }
            }
        }
        System.out.println();
        System.out.println("setup   | runs | p50 ms | mean ms | max ms");
        runningMillis.forEach((setup, values) -> System.out.printf("%-7s | %4d | %6d | %7d | %6d%n", setup, values.size(),
                percentile(values, 50), mean(values), percentile(values, 100)));
        long staticMean = mean(runningMillis.get("static"));
        long warmMean = mean(runningMillis.get("warm"));
        System.out.printf("warm pool vs static: %+.1f%% (the seed's claim: within 10%%)%n", 100.0 * (warmMean - staticMean) / staticMean);
        System.out.printf("from zero: Flink's request -> TaskManager process launched: p50 %d ms, max %d ms (%d TaskManagers)%n",
                percentile(overheadMillis, 50), percentile(overheadMillis, 100), overheadMillis.size());
        System.out.printf("from zero: TaskManager launched -> registered with Flink: p50 %d ms, max %d ms%n",
                percentile(startMillis, 50), percentile(startMillis, 100));
    }

    private static ClusterSpec spec(String setup, String name) {
        return switch (setup) {
            case "static" -> new ClusterSpec(name, "bench", ClusterMode.STATIC, "2.2.0", SIZE, 1, SIZE, 2, 2, null, 0, null, null,
                    Map.of());
            case "warm" -> new ClusterSpec(name, "bench", ClusterMode.ELASTIC, "2.2.0", SIZE, 1, SIZE, 2, 0,
                    new ElasticPolicy(2, 4, 300), 0, null, null, Map.of());
            default -> new ClusterSpec(name, "bench", ClusterMode.ELASTIC, "2.2.0", SIZE, 1, SIZE, 2, 0, new ElasticPolicy(0, 4, 300), 0,
                    null, null, Map.of());
        };
    }

    /** Creates the cluster, waits until it is as a user would find it, then times one submission. */
    private static long submitAndTime(Platform platform, String cluster, ClusterSpec spec) throws Exception {
        platform.createCluster(cluster, spec);
        FlinkRest flink = platform.awaitJobManager(cluster);
        int expected = spec.mode() == ClusterMode.STATIC ? spec.staticTaskManagers() : spec.elastic().warmPool();
        await("TaskManagers of " + cluster).atMost(Duration.ofSeconds(90)).until(() -> flink.taskManagers().size() == expected);
        String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
        long start = System.nanoTime();
        String job = flink.run(jar, JOB, 4, List.of("--rate", "100"));
        await("all tasks of " + job + " RUNNING").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> flink.vertexStates(job).stream().allMatch("RUNNING"::equals));
        long millis = (System.nanoTime() - start) / 1_000_000;
        flink.cancel(job);
        return millis;
    }

    /** Reads Flink's requests and registrations from the JobManager's log and the launches from the provisioner's. */
    private static void platformOverhead(Platform platform, String cluster, List<Long> overhead, List<Long> start) throws IOException {
        Path jobManagerLog = platform.work.resolve("pods").resolve(cluster).resolve(cluster + "-jm-0").resolve(cluster + "-jm-0.log");
        String jobManager = Files.readString(jobManagerLog);
        String provisioner = Files.readString(platform.provisioner.log());
        Matcher requested = Pattern.compile("(\\S+ \\S+) INFO .*Requesting a TaskManager .* as (\\S+)").matcher(jobManager);
        Map<String, LocalDateTime> requestTimes = new LinkedHashMap<>();
        while (requested.find()) {
            requestTimes.put(requested.group(2), LocalDateTime.parse(requested.group(1), LOG_TIME));
        }
        Matcher served = Pattern.compile("The platform serves request (\\S+) with pod (\\S+)").matcher(jobManager);
        while (served.find()) {
            String pod = served.group(2);
            LocalDateTime requestedAt = requestTimes.get(served.group(1));
            LocalDateTime launchedAt = find(provisioner, "(\\S+ \\S+) INFO .*Started TASK_MANAGER " + cluster + "/" + pod + " ");
            LocalDateTime registeredAt = find(jobManager, "(\\S+ \\S+) INFO .*Worker " + pod + " is registered");
            if (requestedAt != null && launchedAt != null && registeredAt != null) {
                overhead.add(Duration.between(requestedAt, launchedAt).toMillis());
                start.add(Duration.between(launchedAt, registeredAt).toMillis());
            }
        }
    }

    private static LocalDateTime find(String log, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(log);
        return matcher.find() ? LocalDateTime.parse(matcher.group(1), LOG_TIME) : null;
    }

    private static long percentile(List<Long> values, double p) {
        return Percentiles.of(values.stream().mapToLong(Long::longValue).toArray(), p);
    }

    private static long mean(List<Long> values) {
        return values.isEmpty() ? 0 : values.stream().mapToLong(Long::longValue).sum() / values.size();
    }
}
