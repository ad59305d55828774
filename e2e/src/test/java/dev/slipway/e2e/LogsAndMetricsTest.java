package dev.slipway.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.testkit.FreePorts;
import io.restassured.path.json.JsonPath;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logs and metrics of real Flink processes, asserted through the log-metric-indexer's REST API only:
 * the indexer runs as its packaged app and the node log agent as its own process, tailing the local
 * pod backend's pods root, next to the platform. A STATIC cluster runs SteadyStream; its TaskManager's
 * log lines are searchable within seconds, a stack trace the JobManager logs is one record, the job's
 * throughput is a queryable series, and once the cluster is deleted its pods' logs stay searchable.
 */
class LogsAndMetricsTest {

    private static final String CLUSTER = "logs";
    private static final String JOB_MANAGER = CLUSTER + "-jm-0";
    /** Flink's log4j layout starts every event with this; other lines continue the event before them. */
    private static final Pattern EVENT_START = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} ");

    private static Platform platform;
    private static ServiceProcess indexer;
    private static Process agent;

    @BeforeAll
    static void start() throws Exception {
        platform = new Platform("logs");
        indexer = ServiceProcess.start("log-metric-indexer", platform.repository.resolve("services/log-metric-indexer/target/quarkus-app"),
                FreePorts.next(), Map.of("kafka.bootstrap.servers", platform.broker.bootstrapServers(),
                        "slipway.indexer.data-dir", platform.work.resolve("indexer").toString(),
                        "slipway.indexer.cluster-token-secret", Platform.SECRET,
                        "slipway.indexer.topic-partitions", "2",
                        "slipway.indexer.commit-interval", "500ms"), platform.work);
        agent = startLogAgent();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(20, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
            }
        }
        if (indexer != null) {
            indexer.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    /** As a node runs it: the agent's jar and its runtime classpath (target/lib), the pods root as its log root. */
    private static Process startLogAgent() throws IOException {
        Path target = platform.repository.resolve("services/log-agent/target");
        Path jar;
        try (var files = Files.list(target)) {
            jar = files.filter(path -> path.getFileName().toString().matches("slipway-log-agent-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build services/log-agent first"));
        }
        Files.createDirectories(platform.podsRoot());
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
                "-Dslipway.log-agent.log-root=" + platform.podsRoot(),
                "-Dslipway.log-agent.bootstrap-servers=" + platform.broker.bootstrapServers(),
                "-Dslipway.log-agent.state-file=" + platform.work.resolve("log-agent.offsets"),
                "-cp", jar + File.pathSeparator + target.resolve("lib") + File.separator + "*",
                "dev.slipway.logagent.LogAgentMain"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(platform.work.resolve("log-agent.log").toFile())
                .start();
    }

    @Test
    void flinkLogsAreSearchableLiveAndAfterThePodsAreGoneAndTheJobsThroughputIsASeries() throws Exception {
        platform.createCluster(CLUSTER, new ClusterSpec(CLUSTER, "team-a", ClusterMode.STATIC, "2.2.0", Scenarios.SIZE, 1,
                Scenarios.SIZE, 2, 1, null, 0, null, null, Map.of("metrics.reporter.slipway.interval", "1 s")));
        FlinkRest flink = platform.awaitJobManager(CLUSTER);
        await("TaskManager registered").atMost(Duration.ofSeconds(60)).until(() -> flink.taskManagers().size() == 1);
        String taskManager = flink.taskManagers().get(0);

        // The TaskManager wrote this line before Flink listed it: a few seconds to be searchable.
        JsonPath registered = awaitLogs("the TaskManager's registration searchable", Duration.ofSeconds(10),
                Map.of("clusterId", CLUSTER, "pod", taskManager, "q", "\"Successful registration at resource manager\""),
                page -> page.getLong("total") == 1);
        assertThat(registered.getString("records[0].clusterId")).isEqualTo(CLUSTER);
        assertThat(registered.getString("records[0].podName")).isEqualTo(taskManager);
        assertThat(registered.getString("records[0].role")).isEqualTo("TASK_MANAGER");
        assertThat(registered.getString("records[0].level")).isEqualTo("INFO");
        assertThat(registered.getString("records[0].logger")).isEqualTo("org.apache.flink.runtime.taskexecutor.TaskExecutor");

        // A job whose main method throws: the JobManager logs a WARN with the whole stack trace.
        String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
        given().contentType("application/json")
                .body(Map.of("entryClass", Scenarios.STEADY_STREAM, "programArgsList", List.of("--rate", "not-a-number")))
                .post(jobManagerUrl() + "/jars/" + jar + "/run").then().statusCode(greaterThanOrEqualTo(400));
        JsonPath failure = awaitLogs("the stack trace searchable", Duration.ofSeconds(15),
                Map.of("clusterId", CLUSTER, "pod", JOB_MANAGER, "q", "NumberFormatException"), page -> page.getLong("total") >= 1);
        assertThat(failure.getLong("total")).as("the trace is one record").isEqualTo(1);
        String trace = failure.getString("records[0].message");
        assertThat(trace).startsWith("Could not execute application")
                .contains("ProgramInvocationException: The main method caused an error: For input string: \"not-a-number\"")
                .contains("\n\tat org.apache.flink.client.program.PackagedProgram.callMainMethod(")
                .contains("\nCaused by: java.lang.NumberFormatException: For input string: \"not-a-number\"");
        assertThat(trace.lines().filter(line -> line.startsWith("\tat ")).count()).isGreaterThan(5);
        assertThat(failure.getString("records[0].level")).isEqualTo("WARN");
        assertThat(failure.getString("records[0].role")).isEqualTo("JOB_MANAGER");
        // No frame of it became a record of its own.
        assertThat(logs(Map.of("clusterId", CLUSTER, "pod", JOB_MANAGER, "q", "callMainMethod")).getLong("total")).isEqualTo(1);

        // A running job's throughput, from the metric reporter on the TaskManager.
        String job = flink.run(jar, Scenarios.STEADY_STREAM, 2, List.of("--rate", "500"));
        await("numRecordsOutPerSecond of " + job).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            JsonPath answer = platform.asReader(CLUSTER).queryParam("name", "numRecordsOutPerSecond").queryParam("clusterId", CLUSTER)
                    .queryParam("job", job).get(indexer.url() + "/api/v1/metrics").then().statusCode(200).extract().jsonPath();
            List<Float> maxima = answer.getList("series.points.flatten().max", Float.class);
            return maxima.stream().anyMatch(max -> max > 0)
                    && answer.getList("series.tags.job", String.class).stream().allMatch(job::equals);
        });

        // Deleted: the provisioner ends the processes, and every line they wrote stays searchable.
        platform.deleteCluster(CLUSTER);
        await("the cluster's processes ended").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> platform.localPods().stream().noneMatch(pod -> pod.startsWith(CLUSTER + "/")));
        for (String pod : List.of(taskManager, JOB_MANAGER)) {
            long written = eventsIn(platform.podsRoot().resolve(CLUSTER).resolve(pod).resolve(pod + ".log"));
            awaitLogs("all " + written + " records of " + pod + " after its deletion", Duration.ofSeconds(15),
                    Map.of("clusterId", CLUSTER, "pod", pod), page -> page.getLong("total") == written);
        }
        assertThat(logs(Map.of("clusterId", CLUSTER, "pod", taskManager, "q", "\"Successful registration at resource manager\""))
                .getLong("total")).isEqualTo(1);
    }

    /** The JobManager's REST address as the provisioner reports it. */
    private static String jobManagerUrl() {
        JsonPath jobManager = platform.asReader(CLUSTER).get(platform.provisioner.url() + "/api/v1/clusters/" + CLUSTER + "/jobmanager").then()
                .statusCode(200).extract().jsonPath();
        return "http://" + jobManager.getString("host") + ":" + jobManager.getInt("restPort");
    }

    private static JsonPath logs(Map<String, String> params) {
        return platform.asReader(CLUSTER).queryParams(params).get(indexer.url() + "/api/v1/logs").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitLogs(String what, Duration atMost, Map<String, String> params,
            Predicate<JsonPath> done) {
        JsonPath[] last = new JsonPath[1];
        await(what).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = logs(params);
            return done.test(last[0]);
        });
        return last[0];
    }

    /** Log events in a file of Flink's layout: the lines that start with its timestamp. */
    private static long eventsIn(Path log) throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.filter(line -> EVENT_START.matcher(line).find()).count();
        }
    }
}
