package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The elastic loop, narrated: an ELASTIC cluster from zero TaskManagers, a streaming SQL job, then a
 * bounded JAR job that needs more TaskManagers, then the TaskManagers going away once idle. Clusters
 * and jobs go through job-submission's API; everything it shows comes from the platform's APIs as it
 * happens.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Create an ELASTIC cluster, run a streaming SQL job (examples/sql/orders-per-product.sql: generated orders "
                + "into a windowed aggregation) and a bounded JAR job (BoundedSum from flink/example-jobs), and narrate what the "
                + "platform does: TaskManagers requested by Flink, the scheduler's decisions with their reasons, pods started, jobs "
                + "RUNNING and FINISHED, TaskManagers released after the idle timeout. Then the pipeline users come for: orders "
                + "into Kafka, a SQL job totalling them in event-time windows into PostgreSQL (the Kafka and JDBC connectors as its "
                + "Maven dependencies), the table filling. Ends with a summary and leaves the platform running. Starts the "
                + "platform first if it is not up."})
final class DemoCommand implements Callable<Integer> {

    static final String BOUNDED_SUM = "dev.slipway.flink.examples.BoundedSum";
    static final String SQL_SCRIPT = "examples/sql/orders-per-product.sql";

    @Option(names = "--name", defaultValue = "demo", description = "Cluster name; its id is derived from it (default ${DEFAULT-VALUE}).")
    String name = "demo";

    @Option(names = "--idle-timeout", defaultValue = "20", paramLabel = "SECONDS",
            description = "Idle TaskManagers are released after this long (default ${DEFAULT-VALUE}).")
    long idleTimeout = 20;

    @Option(names = "--n", defaultValue = "5000000", description = "BoundedSum sums 1..n (default ${DEFAULT-VALUE}).")
    long n = 5_000_000;

    @Option(names = "--keep-streaming", description = "Leave the SQL job running (its TaskManager stays).")
    boolean keepStreaming;

    @Option(names = "--pipeline", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run the Kafka-to-PostgreSQL pipeline (its connectors fetched from Maven Central, or from "
                    + "SLIPWAY_MAVEN_REPOSITORIES) and watch its table fill (default: on).")
    boolean pipeline = true;

    @Option(names = "--pipeline-windows", defaultValue = "3",
            description = "How many closed 10 s windows the pipeline's table shows before the demo stops it (default: 3).")
    int pipelineWindows = 3;

    private long t0;
    private String cluster;

    @Override
    public Integer call() {
        if (pipelineWindows < 1 || pipelineWindows > 30) {
            throw new CliException("--pipeline-windows must be between 1 and 30, was " + pipelineWindows);
        }
        Settings settings = Settings.load();
        LocalPlatform platform = new LocalPlatform(settings, System.out);
        boolean up = platform.status().stream().filter(s -> LocalPlatform.SERVICES.contains(s.name()))
                .allMatch(s -> s.state().equals("up"));
        if (!up) {
            System.out.println("The platform is not up; starting it first.");
            platform.up();
            PlatformCommands.Up.printUrls(Settings.load(), platform, System.out);
            System.out.println();
            settings = Settings.load();
        }
        Path jar = exampleJobsJar(settings);
        String script = sqlScript(settings);
        PlatformApi client = new PlatformApi(settings);
        SubmissionClient submission = new SubmissionClient(settings);

        System.out.println("Demo: an ELASTIC cluster that starts with no TaskManager; Flink asks the platform for what its jobs need.");
        t0 = System.nanoTime();
        JsonNode created = submission.createCluster(ClusterCommands.request(name, ClusterMode.ELASTIC, ClusterSpec.DEFAULT_FLINK_VERSION,
                1024, 0.5, 1024, 2, 0, 0, 4, idleTimeout, Map.of()));
        cluster = created.path("id").asText();
        Narrator narrator = new Narrator(client);
        Thread narration = new Thread(narrator, "demo-narrator");
        narration.setDaemon(true);
        Map<String, Double> times = new LinkedHashMap<>();
        try {
            say("cluster " + cluster + " created through job-submission: " + ClusterCommands.describe(created.path("spec")));
            narration.start();

            submission.awaitClusterRunning(cluster, Duration.ofSeconds(150));
            String jobManager = client.awaitJobManager(cluster, Duration.ofSeconds(60));
            times.put("cluster created -> RUNNING", elapsed());
            say("cluster RUNNING; JobManager answers: " + jobManager + " (Flink web UI)");

            say("submitting the SQL job orders-per-product (" + SQL_SCRIPT + ", parallelism 2): 2 slots = 1 TaskManager of 2 slots");
            double submitted = elapsed();
            JsonNode sql = submission.submitSql(cluster, null, script, 2, List.of(), List.of());
            String sqlJob = sql.path("id").asText();
            JsonNode sqlRunning = submission.awaitJob(sqlJob, Set.of("RUNNING"), Duration.ofSeconds(180));
            requireStatus(sqlRunning, "RUNNING");
            awaitTasksRunning(client, jobManager, sqlRunning.path("flinkJobId").asText(), 180);
            times.put("SQL job submitted -> RUNNING", elapsed() - submitted);
            say("SQL job " + sqlJob + " RUNNING (Flink job " + sqlRunning.path("flinkJobId").asText() + "): windowed totals per product "
                    + "go to its TaskManager's output");

            say("submitting bounded-sum (BoundedSum 1.." + n + ", JAR, parallelism 4): 4 more slots = 2 more TaskManagers");
            submitted = elapsed();
            String bounded = submission.submitJar(cluster, jar, "bounded-sum", BOUNDED_SUM, 4, List.of("--n", Long.toString(n)), List.of(), List.of())
                    .path("id").asText();
            JsonNode boundedRunning = submission.awaitJob(bounded, Set.of("RUNNING", "FINISHED"), Duration.ofSeconds(240));
            if (boundedRunning.path("status").asText().equals("RUNNING")) {
                say("bounded-sum RUNNING (job " + bounded + ")");
                times.put("bounded-sum submitted -> RUNNING", elapsed() - submitted);
            }
            JsonNode boundedDone = submission.awaitJob(bounded, Set.of("FINISHED"), Duration.ofSeconds(240));
            requireStatus(boundedDone, "FINISHED");
            times.put("bounded-sum submitted -> FINISHED", elapsed() - submitted);
            String sum = accumulator(jobManager, boundedDone.path("flinkJobId").asText(), "sum");
            String expected = Long.toString(n * (n + 1) / 2);
            say("bounded-sum FINISHED: sum of 1.." + n + " = " + sum + (expected.equals(sum) ? " (correct)" : " (WRONG: expected " + expected + ")"));
            if (!expected.equals(sum)) {
                throw new CliException("bounded-sum computed " + sum + ", expected " + expected);
            }

            double idleFrom;
            if (keepStreaming) {
                say("the SQL job keeps running (--keep-streaming); bounded-sum's TaskManagers go after " + idleTimeout + " s idle");
                idleFrom = elapsed();
                awaitLiveTaskManagers(client, 1, idleTimeout + 90);
            } else {
                say("cancelling the SQL job (a stream never ends on its own), so every TaskManager becomes idle");
                submission.act(sqlJob, "cancel", null);
                requireStatus(submission.awaitJob(sqlJob, Set.of("CANCELED"), Duration.ofSeconds(60)), "CANCELED");
                say("SQL job CANCELED; Flink releases idle TaskManagers after " + idleTimeout + " s");
                idleFrom = elapsed();
                awaitLiveTaskManagers(client, 0, idleTimeout + 90);
            }
            times.put("jobs done -> idle TaskManagers released", elapsed() - idleFrom);
            if (pipeline) {
                double started = elapsed();
                PipelineDemo.Outcome outcome = new PipelineDemo(settings, submission, this::say).run(cluster, pipelineWindows);
                times.put("pipeline submitted -> " + windows(pipelineWindows) + " in PostgreSQL", elapsed() - started);
                say("pipeline cancelled: " + outcome.rows() + " rows of " + windows(outcome.windows()) + " in table " + outcome.table()
                        + " of database " + PipelineDemo.DATABASE + "; its TaskManager goes after " + idleTimeout + " s idle");
                awaitLiveTaskManagers(client, keepStreaming ? 1 : 0, idleTimeout + 90);
            }
            PlatformApi.sleep(1500);
            narrator.poll();
            say(keepStreaming ? "the other TaskManagers released; the JobManager and the SQL job's TaskManager stay"
                    : "every TaskManager released; the JobManager stays, ready for the next job");
            narrator.stop();
            summary(client, times, jobManager, narrator);
            return SlipwayCli.OK;
        } finally {
            narrator.stop();
        }
    }

    private void summary(PlatformApi client, Map<String, Double> times, String jobManager, Narrator narrator) {
        System.out.println();
        System.out.println("Summary of " + cluster + " (" + String.format("%.0f s", elapsed()) + "):");
        times.forEach((what, seconds) -> System.out.printf("  %-45s %6.1f s%n", what, seconds));
        System.out.printf("  %-45s %6d%n", "TaskManagers requested by Flink and started", narrator.taskManagersProvisioned.size());
        System.out.printf("  %-45s %6d%n", "TaskManagers released by Flink", narrator.taskManagersReleased.size());
        try {
            JsonNode replay = client.replay(cluster, "{}");
            JsonNode report = replay.path("recorded");
            System.out.printf("  %-45s %6d%n", "pod-seconds (replay of the recorded events)", report.path("podSeconds").asLong());
            System.out.printf("  %-45s %6d ms (p50), %d ms (p99)%n", "TaskManager request -> ready",
                    report.path("requestToReadyP50Millis").asLong(), report.path("requestToReadyP99Millis").asLong());
            System.out.println("  replay: " + (replay.path("reproduced").asBoolean()
                    ? "the " + replay.path("events").asLong() + " recorded events reproduce all " + replay.path("decisionsPublished").asLong()
                            + " decisions exactly"
                    : "the replay DIFFERS from the published decisions (./slipway replay " + cluster + ")"));
        } catch (CliException e) {
            System.out.println("  replay: not available (" + e.getMessage() + ")");
        }
        try {
            JsonNode logs = client.logs(cluster, "&limit=1");
            System.out.printf("  %-45s %6d %s%n", "log records of the cluster, searchable", logs.path("total").asLong(), logs.path("levels"));
        } catch (CliException e) {
            System.out.println("  logs: not searchable (" + e.getMessage() + ")");
        }
        System.out.println();
        System.out.println("The platform keeps running. Explore:");
        List<List<String>> explore = List.of(
                List.of("  ./slipway decisions " + cluster, "every decision with its reason"),
                List.of("  ./slipway pods " + cluster, "the pods as Flink's resource manager sees them"),
                List.of("  ./slipway replay " + cluster + " --warm-pool 2", "what a warm pool would have cost"),
                List.of("  ./slipway jobs list " + cluster, "the jobs, their versions and savepoints; Flink web UI at " + jobManager),
                List.of("  ./slipway jobs submit-sql " + cluster + " " + SQL_SCRIPT, "run the SQL job again"),
                List.of("  ./slipway search " + cluster + " registration", "the cluster's Flink logs, live and after its pods are gone"),
                List.of("  ./slipway down", "stop everything (./slipway up brings it back, state kept)"));
        Output.rows(System.out, explore);
    }

    private static void requireStatus(JsonNode job, String expected) {
        if (!job.path("status").asText().equals(expected)) {
            throw new CliException("job " + job.path("id").asText() + " is " + job.path("status").asText() + " instead of " + expected
                    + SubmissionClient.reason(job) + " (./slipway jobs get " + job.path("id").asText() + ")");
        }
    }

    /** Flink's RUNNING comes before its tasks run; the demo says RUNNING when they do. */
    private static void awaitTasksRunning(PlatformApi client, String jobManager, String flinkJobId, long seconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (true) {
            JsonNode vertices = client.job(jobManager, flinkJobId).path("vertices");
            boolean running = !vertices.isEmpty();
            for (JsonNode vertex : vertices) {
                running &= vertex.path("status").asText().equals("RUNNING");
            }
            if (running) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new CliException("the tasks of Flink job " + flinkJobId + " were not all RUNNING within " + seconds + " s; see " + jobManager);
            }
            PlatformApi.sleep(400);
        }
    }

    private static String accumulator(String jobManager, String jobId, String name) {
        JsonNode accumulators = Http.get("the JobManager", jobManager + "/jobs/" + jobId + "/accumulators", null);
        for (JsonNode accumulator : accumulators.path("user-task-accumulators")) {
            if (accumulator.path("name").asText().equals(name)) {
                return accumulator.path("value").asText();
            }
        }
        return "?";
    }

    private void awaitLiveTaskManagers(PlatformApi client, int count, long seconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (liveTaskManagers(client) > count) {
            if (System.nanoTime() > deadline) {
                throw new CliException("TaskManagers of " + cluster + " were not released within " + seconds + " s (./slipway pods " + cluster + ")");
            }
            PlatformApi.sleep(500);
        }
    }

    private int liveTaskManagers(PlatformApi client) {
        int live = 0;
        for (JsonNode pod : client.pods(cluster)) {
            if (pod.path("role").asText().equals("TASK_MANAGER") && !pod.path("status").asText().equals("TERMINATING")) {
                live++;
            }
        }
        return live;
    }

    private static String sqlScript(Settings settings) {
        return example(settings, SQL_SCRIPT);
    }

    /** One of the repository's examples, as users see it. */
    static String example(Settings settings, String path) {
        Path file = settings.home.resolve(path);
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliException("cannot read the demo's example " + settings.shown(file) + ": " + e.getMessage()
                    + " (is SLIPWAY_HOME the repository?)");
        }
    }

    private static Path exampleJobsJar(Settings settings) {
        Path target = settings.home.resolve("flink/example-jobs/target");
        try (Stream<Path> jars = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return jars.filter(path -> path.getFileName().toString().matches("slipway-flink-example-jobs-[^-]+(-SNAPSHOT)?\\.jar")).findFirst()
                    .orElseThrow(() -> new CliException("the example jobs are not built (" + settings.shown(target)
                            + "): ./mvnw -B -pl flink/example-jobs -am install -DskipTests"));
        } catch (IOException e) {
            throw new CliException("cannot read " + target + ": " + e.getMessage());
        }
    }

    private double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }

    private synchronized void say(String line) {
        System.out.printf("[%6.1fs] %s%n", elapsed(), line);
    }

    /** Prints new decisions (with reasons) and pod status changes as the scheduler publishes them. */
    private final class Narrator implements Runnable {

        private final PlatformApi client;
        private final Set<String> seenDecisions = new HashSet<>();
        private final Map<String, String> podStatus = new HashMap<>();
        final Set<String> taskManagersProvisioned = new HashSet<>();
        final Set<String> taskManagersReleased = new HashSet<>();
        private volatile boolean running = true;

        Narrator(PlatformApi client) {
            this.client = client;
        }

        @Override
        public void run() {
            while (running) {
                try {
                    poll();
                } catch (CliException e) {
                    say("(could not follow the scheduler: " + e.getMessage() + ")");
                }
                try {
                    Thread.sleep(400);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() {
            running = false;
        }

        synchronized void poll() {
            // Pods first: every pod in this answer has its decision in the next one, so decisions print before their pods.
            JsonNode pods = client.pods(cluster);
            JsonNode decisions = client.decisions(cluster, 200);
            List<JsonNode> fresh = new ArrayList<>();
            for (JsonNode decision : decisions) {
                if (seenDecisions.add(decision.path("eventId").asText())) {
                    fresh.add(0, decision);
                }
            }
            for (JsonNode decision : fresh) {
                String type = decision.path("type").asText();
                String pod = decision.path("podName").asText("");
                if (type.equals("ProvisionPod") && decision.path("role").asText().equals("TASK_MANAGER")) {
                    taskManagersProvisioned.add(pod);
                }
                if (type.equals("DeletePod") && decision.path("reason").asText().startsWith("Flink released")) {
                    taskManagersReleased.add(pod);
                }
                say("decision " + type + (pod.isEmpty() ? "" : " " + pod) + ": " + decision.path("reason").asText());
            }
            Map<String, String> now = new LinkedHashMap<>();
            Map<String, String> roles = new HashMap<>();
            for (JsonNode pod : pods) {
                now.put(pod.path("name").asText(), pod.path("status").asText());
                roles.put(pod.path("name").asText(), Output.role(pod.path("role").asText()));
            }
            now.forEach((name, status) -> {
                String before = podStatus.put(name, status);
                if (!status.equals(before) && !status.equals("PENDING")) {
                    say("pod " + name + " (" + roles.get(name) + ") " + switch (status) {
                        case "CREATED" -> "process started";
                        case "READY" -> "READY";
                        case "TERMINATING" -> "stopping";
                        default -> status;
                    });
                }
            });
            for (String name : new ArrayList<>(podStatus.keySet())) {
                if (!now.containsKey(name)) {
                    podStatus.remove(name);
                    say("pod " + name + " gone");
                }
            }
        }
    }

    private static String windows(int count) {
        return count + (count == 1 ? " window" : " windows");
    }
}
