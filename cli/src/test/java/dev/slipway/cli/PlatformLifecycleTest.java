package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.testkit.MavenRepositoryServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a new user does, from a clean state directory on random ports: {@code slipway up}, {@code demo},
 * {@code status}, {@code down}, each as its own process. The outcome is checked through the platform's
 * APIs (the demo's jobs ran, TaskManagers came and went) and the process table (nothing is left).
 * The services' packaged apps, the Flink classpath and the example jobs come from the build (see pom).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformLifecycleTest {

    private static final String CLUSTER_NAME = "demo-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path state;
    private static CliProcess cli;
    private static MavenRepositoryServer maven;
    private static Map<String, String> ports;
    private static String cluster;
    /** The demo cluster's reader token, as job-submission shows it to the local tenant. */
    private static String readerToken;

    @BeforeAll
    static void cleanState() throws IOException {
        Path work = Path.of(System.getProperty("slipway.test.work", "target/cli-test")).toAbsolutePath();
        deleteRecursively(work);
        Files.createDirectories(work);
        state = work.resolve("state");
        ports = new HashMap<>();
        Set<Integer> taken = new HashSet<>();
        for (String name : List.of("SLIPWAY_KAFKA_PORT", "SLIPWAY_POSTGRES_PORT", "SLIPWAY_ZOOKEEPER_PORT", "SLIPWAY_SCHEDULER_PORT", "SLIPWAY_PROVISIONER_PORT",
                "SLIPWAY_SUBMISSION_PORT", "SLIPWAY_INDEXER_PORT")) {
            ports.put(name, Integer.toString(freePort(taken)));
        }
        Map<String, String> environment = new HashMap<>(ports);
        environment.put("SLIPWAY_STATE_DIR", state.toString());
        Path repository = Path.of(System.getProperty("slipway.home", "..")).toAbsolutePath().normalize();
        environment.put("SLIPWAY_HOME", repository.toString());
        // The demo pipeline's connectors come from a Maven repository of the test's, not from Maven Central.
        maven = MavenRepositoryServer.in(work.resolve("maven"));
        maven.publishAll(Path.of(System.getProperty("slipway.test.connectors", "target/connectors")), Map.of(
                "flink-sql-connector-kafka", "org.apache.flink", "flink-connector-jdbc-core", "org.apache.flink",
                "flink-connector-jdbc-postgres", "org.apache.flink", "postgresql", "org.postgresql"));
        environment.put("SLIPWAY_MAVEN_REPOSITORIES", maven.url());
        // No SLIPWAY_CLUSTER_TOKEN_SECRET, as a user runs ./slipway: the development secret, which the services accept only
        // because the launcher says this is a development machine (they refuse it otherwise: e2e DevelopmentSecretTest).
        cli = new CliProcess(repository, work, environment);
    }

    @AfterAll
    static void nothingIsLeftBehind() throws Exception {
        if (maven != null) {
            maven.close();
        }
        if (cli != null && state != null && !processesUnder(state).isEmpty()) {
            cli.run(Duration.ofMinutes(2), "down");
            processesUnder(state).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static String scheduler() {
        return "http://127.0.0.1:" + ports.get("SLIPWAY_SCHEDULER_PORT");
    }

    private static String provisioner() {
        return "http://127.0.0.1:" + ports.get("SLIPWAY_PROVISIONER_PORT");
    }

    private static String indexer() {
        return "http://127.0.0.1:" + ports.get("SLIPWAY_INDEXER_PORT");
    }

    private static String submission() {
        return "http://127.0.0.1:" + ports.get("SLIPWAY_SUBMISSION_PORT");
    }

    @Test
    @Order(1)
    void upStartsTheInfrastructureAndTheServicesAndPrintsTheirUrls() throws Exception {
        CliProcess.Result up = cli.run(Duration.ofMinutes(4), "up");

        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("Slipway is up", scheduler() + "/q/openapi", provisioner() + "/q/openapi",
                submission() + "/q/openapi", "127.0.0.1:" + ports.get("SLIPWAY_KAFKA_PORT"));
        assertThat(status(scheduler() + "/q/health/ready")).isEqualTo(200);
        assertThat(status(provisioner() + "/q/health/ready")).isEqualTo(200);
        assertThat(status(submission() + "/q/health/ready")).isEqualTo(200);
        assertThat(status(indexer() + "/q/health/ready")).isEqualTo(200);
        assertThat(up.output()).contains("log-agent", "ships the Flink pods' logs");
        // The web console: job-submission serves it and names the indexer, which lets the console's origin read it.
        assertThat(up.output()).contains("web console", submission() + "/console/");
        assertThat(status(submission() + "/console/")).isEqualTo(200);
        assertThat(get(submission() + "/api/v1/console/settings").path("indexerUrl").asText()).isEqualTo(indexer());
        HttpResponse<Void> crossOrigin = HTTP.send(HttpRequest.newBuilder(URI.create(indexer() + "/api/v1/logs"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", submission())
                .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "authorization").build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(crossOrigin.statusCode()).isEqualTo(200);
        assertThat(crossOrigin.headers().firstValue("Access-Control-Allow-Origin")).contains(submission());
        // Nobody reads the indexer without a token: a tenant reads its clusters' logs with their reader tokens.
        assertThat(status(indexer() + "/api/v1/logs/partitions")).isEqualTo(401);
        assertThat(state.resolve("run/resource-scheduler.pid")).exists();
        assertThat(state.resolve("logs/pod-provisioner.log")).exists();
    }

    @Test
    @Order(2)
    void aSecondUpLeavesTheRunningPlatformAlone() throws Exception {
        CliProcess.Result again = cli.run(Duration.ofMinutes(1), "up");

        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("resource-scheduler   already running", "pod-provisioner      already running",
                "job-submission       already running", "log agent            already running");
    }

    @Test
    @Order(3)
    void theDemoRunsBothJobsOnTaskManagersThatComeAndGo() throws Exception {
        CliProcess.Result demo = cli.run(Duration.ofMinutes(5), "demo", "--name", CLUSTER_NAME, "--idle-timeout", "10", "--n", "2000000",
                "--pipeline-windows", "1");

        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("created through job-submission", "RUNNING (Flink job",
                "bounded-sum FINISHED: sum of 1..2000000 = 2000001000000 (correct)", "every TaskManager released", "pod-seconds",
                "reproduce all");
        // job-submission: the cluster, the SQL job cancelled by the demo, the JAR job finished.
        JsonNode clusters = get(submission() + "/api/v1/clusters");
        assertThat(clusters).extracting(c -> c.path("name").asText()).containsExactly(CLUSTER_NAME);
        cluster = clusters.get(0).path("id").asText();
        readerToken = clusters.get(0).path("readerToken").asText();
        assertThat(demo.output()).contains("cluster " + cluster + " created");
        Map<String, String> jobStatus = new HashMap<>();
        get(submission() + "/api/v1/jobs?clusterId=" + cluster).forEach(job -> jobStatus.put(job.path("kind").asText() + " "
                + job.path("name").asText(), job.path("status").asText()));
        assertThat(jobStatus).containsExactlyInAnyOrderEntriesOf(Map.of("SQL orders per product", "CANCELED", "JAR bounded-sum", "FINISHED",
                "SQL order events", "CANCELED", "SQL order totals", "CANCELED"));
        // The pipeline: its connectors fetched as Maven dependencies, its table filled window by window.
        assertThat(demo.output()).contains("pipeline jobs RUNNING", "customers,", "pipeline cancelled:");
        assertThat(maven.jarDownloads()).isEqualTo(4);

        // The indexer: the cluster's Flink logs, shipped by the log agent, are searchable, TaskManagers' included.
        await("the TaskManagers' registration in the indexed logs").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(get(indexer() + "/api/v1/logs?clusterId=" + cluster + "&q=registration&limit=100", readerToken)
                        .path("records")).anySatisfy(record -> assertThat(record.path("role").asText()).isEqualTo("TASK_MANAGER")));
        CliProcess.Result search = cli.run(Duration.ofMinutes(1), "search", cluster, "registration", "--limit", "3");
        assertThat(search.exitCode()).as(search.output()).isZero();
        assertThat(search.output()).contains(cluster + "-tm-", "records match");

        // The scheduler: Flink asked for TaskManagers, the scheduler provisioned them and deleted them when Flink let them go.
        JsonNode decisions = get(scheduler() + "/api/v1/clusters/" + cluster + "/decisions?limit=1000", readerToken);
        List<String> requested = new ArrayList<>();
        List<String> released = new ArrayList<>();
        for (JsonNode decision : decisions) {
            if (decision.path("type").asText().equals("ProvisionPod") && decision.path("role").asText().equals("TASK_MANAGER")
                    && !decision.path("requestId").isNull()) {
                requested.add(decision.path("podName").asText());
            }
            if (decision.path("type").asText().equals("DeletePod") && decision.path("reason").asText().startsWith("Flink released")) {
                released.add(decision.path("podName").asText());
            }
        }
        assertThat(requested).as("1 TaskManager for the SQL job, 2 more for bounded-sum, 1 for the pipeline's two jobs").hasSize(4);
        assertThat(released).containsExactlyInAnyOrderElementsOf(requested);

        // The provisioner: only the JobManager still runs (a released TaskManager's JVM takes a few seconds to stop).
        await("TaskManager processes ended").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(get(provisioner() + "/api/v1/local/pods?clusterId=" + cluster, readerToken)).extracting(JsonNode::asText)
                        .containsExactly(cluster + "/" + cluster + "-jm-0"));

        // Flink: both jobs ran, the bounded one to its end.
        JsonNode jobManager = get(provisioner() + "/api/v1/clusters/" + cluster + "/jobmanager", readerToken);
        JsonNode jobs = get("http://" + jobManager.path("host").asText() + ":" + jobManager.path("restPort").asInt() + "/jobs/overview")
                .path("jobs");
        Map<String, String> states = new HashMap<>();
        jobs.forEach(job -> states.put(job.path("name").asText(), job.path("state").asText()));
        assertThat(states).containsEntry("bounded-sum-2000000", "FINISHED").containsEntry("orders per product", "CANCELED");
    }

    @Test
    @Order(4)
    void statusShowsTheServicesAndTheDemoCluster() throws Exception {
        CliProcess.Result status = cli.run(Duration.ofMinutes(1), "status", "--output", "json");

        assertThat(status.exitCode()).as(status.output()).isZero();
        JsonNode json = JSON.readTree(status.output());
        Map<String, String> services = new HashMap<>();
        json.path("services").forEach(service -> services.put(service.path("name").asText(), service.path("state").asText()));
        assertThat(services).containsEntry("infra", "up").containsEntry("resource-scheduler", "up").containsEntry("pod-provisioner", "up")
                .containsEntry("job-submission", "up").containsEntry("log-metric-indexer", "up").containsEntry("log-agent", "up");
        assertThat(json.path("clusters")).anySatisfy(summary -> {
            assertThat(summary.path("clusterId").asText()).isEqualTo(cluster);
            assertThat(summary.path("state").asText()).startsWith("RUNNING");
            assertThat(summary.path("liveTaskManagers").asInt()).isZero();
        });

        CliProcess.Result text = cli.run(Duration.ofMinutes(1), "status");
        assertThat(text.output()).contains("resource-scheduler", cluster, "jm-0 READY");

        CliProcess.Result jobs = cli.run(Duration.ofMinutes(1), "jobs", "list", cluster);
        assertThat(jobs.exitCode()).as(jobs.output()).isZero();
        assertThat(jobs.output()).contains("orders per product", "CANCELED", "bounded-sum", "FINISHED");
    }

    @Test
    @Order(5)
    void theWebConsoleShowsTheDemoClusterAndFollowsItLive() throws Exception {
        assumeTrue(ConsoleBrowser.installed(), "the console's browser test needs Debian's chromium and chromium-driver "
                + "(apt-get install chromium chromium-driver; .ci/run installs them)");
        try (ConsoleBrowser browser = new ConsoleBrowser()) {
            browser.open(submission() + "/console/");
            // A wrong token: the console says what to do and asks again.
            browser.type("token", "not-the-tenant-token");
            browser.click("#sign-in button[type=submit]");
            await("the console refusing a wrong token").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(browser.text("#problem")).contains("sign in with your tenant token");
                assertThat(browser.hidden("#token-label")).isFalse();
            });
            browser.type("token", Settings.LOCAL_TENANT_TOKEN);
            browser.click("#sign-in button[type=submit]");
            await("the demo cluster in the console").atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(browser.text("#clusters tbody")).contains(CLUSTER_NAME, cluster, "RUNNING"));

            browser.clickRowWith("clusters", cluster);
            await("the cluster's pods and jobs").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(browser.text("#pods tbody")).contains(cluster + "-jm-0", "READY");
                assertThat(browser.text("#jobs tbody")).contains("orders per product", "CANCELED", "bounded-sum", "FINISHED");
                // the SQL job's throughput, from the metric reporter in its TaskManager through the indexer
                assertThat(browser.rows("jobs")).anySatisfy(job -> assertThat(job).startsWith("orders per product")
                        .containsPattern("CANCELED +[0-9][0-9,]* "));
                assertThat(browser.text("#events-state")).isEqualTo("live");
                // the scheduler's decisions, across origins: the demo's TaskManagers, released when Flink let them go
                assertThat(browser.text("#decisions")).contains("DeletePod " + cluster + "-tm-", "Flink released");
            });

            // Logs from the indexer, across origins: the TaskManagers' registration lines.
            browser.type("log-query", "registration");
            browser.click("#log-search button[type=submit]");
            await("log lines in the console").atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(browser.text("#logs tbody")).contains(cluster + "-tm-"));

            // Follow the cluster's logs live: the warm TaskManager's first lines will arrive on top.
            browser.click("#log-follow");

            // Someone else grows the warm pool: the console shows the decision with its reason, live, and the new pod.
            HttpResponse<String> patched = HTTP.send(HttpRequest.newBuilder(URI.create(submission() + "/api/v1/clusters/" + cluster))
                    .header("Authorization", "Bearer " + Settings.LOCAL_TENANT_TOKEN).header("Content-Type", "application/merge-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"elastic\":{\"warmPool\":1}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            await("the warm pool's decision and pod, live").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(browser.text("#events")).contains("ProvisionPod", "warm pool");
                assertThat(browser.text("#decisions")).contains("ProvisionPod " + cluster + "-tm-", "warm pool");
                // the demo's TaskManagers are listed as GONE; the warm one is new
                assertThat(browser.rows("pods")).anySatisfy(pod -> assertThat(pod).contains(cluster + "-tm-").doesNotContain("GONE"));
            });
            String warmPod = browser.rows("pods").stream().filter(pod -> pod.contains("-tm-") && !pod.contains("GONE")).findFirst()
                    .orElseThrow().split(" ")[0];
            await("the warm TaskManager's log lines, live").atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(browser.rows("logs")).anySatisfy(line -> assertThat(line).contains(warmPod)));
            assertThat(browser.hidden("#problem")).as(browser.text("#problem")).isTrue();

            // A SQL script the API refuses: the console shows the problem, naming the field, and keeps it.
            browser.type("sql-job-script", "SELECT 1;");
            browser.click("#new-sql-job button[type=submit]");
            await("the refused script's problem").atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(browser.text("#problem")).contains("SQL job: 400", "script"));
            // ... through the console's next refresh, which clears only problems of its own
            String refreshedAt = browser.text("#clusters-updated");
            await("the console's next refresh").atMost(Duration.ofSeconds(15))
                    .until(() -> !browser.text("#clusters-updated").equals(refreshedAt));
            assertThat(browser.text("#problem")).contains("SQL job: 400");

            // A new cluster from the console: created through job-submission, listed and selected.
            browser.type("new-cluster-name", "console-made");
            browser.click("#new-cluster button[type=submit]");
            await("the console's own cluster").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(browser.text("#clusters tbody")).contains("console-made-");
                assertThat(browser.text("#cluster-name")).startsWith("console-made (console-made-");
                assertThat(browser.hidden("#problem")).as(browser.text("#problem")).isTrue();
            });
        }
    }

    @Test
    @Order(6)
    void downStopsEveryProcessItStartedFlinkIncluded() throws Exception {
        assertThat(processesUnder(state)).as("the JobManager runs before down").isNotEmpty();

        CliProcess.Result down = cli.run(Duration.ofMinutes(3), "down");

        assertThat(down.exitCode()).as(down.output()).isZero();
        assertThat(down.output()).contains("no process of this platform is left").doesNotContain("left behind");
        assertThat(processesUnder(state)).as("processes of the platform after down").isEmpty();
        assertThat(status(scheduler() + "/q/health/ready")).isEqualTo(-1);
        assertThat(state.resolve("run/resource-scheduler.pid")).doesNotExist();
        assertThat(state.resolve("kafka")).as("state is kept for the next up").exists();

        CliProcess.Result status = cli.run(Duration.ofMinutes(1), "status");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.output()).contains("resource-scheduler  down");
    }

    /** Every live process whose command line names the state directory, or that descends from one started under it. */
    private static List<ProcessHandle> processesUnder(Path directory) {
        String marker = directory.toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(process -> process.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .toList();
    }

    /** A GET of job-submission as the local tenant that `up` configures. */
    private static JsonNode get(String url) throws IOException, InterruptedException {
        return get(url, Settings.LOCAL_TENANT_TOKEN);
    }

    private static JsonNode get(String url, String bearer) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + bearer).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort(Set<Integer> taken) throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (taken.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
