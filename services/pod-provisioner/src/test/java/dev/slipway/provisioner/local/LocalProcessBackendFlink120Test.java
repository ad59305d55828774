package dev.slipway.provisioner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.provisioner.RecordingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local backend with real Flink 1.20 (LTS) processes, from {@code flink/dist-1.20}'s classpath: a
 * STATIC cluster's JobManager and a TaskManager, configured exactly as for 2.2 ({@code config.yaml}).
 */
class LocalProcessBackendFlink120Test {

    private static final String CLUSTER = "lts-test";
    private static final ClusterSpec SPEC = new ClusterSpec(CLUSTER, "team-a", ClusterMode.STATIC, "1.20.3",
            new ProcessSize(0.5, 1024, 0), 1, new ProcessSize(0.5, 1024, 0), 2, 1, null, 0, null, null, Map.of());

    @TempDir
    Path root;

    private final RecordingSink sink = new RecordingSink();
    private LocalProcessBackend backend;

    @BeforeEach
    void start() {
        backend = LocalBackends.newBackend(root);
        backend.start(sink);
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    private static ProvisionPod provision(String podName, PodRole role) {
        return new ProvisionPod("d-" + podName, CLUSTER, Instant.now(), "cause", "test", podName, role, null,
                role == PodRole.JOB_MANAGER ? SPEC.jobManager() : SPEC.taskManager(), 1, SPEC, null);
    }

    @Test
    void aFlink120TaskManagerRegistersWithItsStaticJobManager() throws Exception {
        backend.provision(provision("lts-test-jm-0", PodRole.JOB_MANAGER));
        backend.provision(provision("lts-test-tm-0", PodRole.TASK_MANAGER));

        await().atMost(Duration.ofSeconds(60)).until(() -> sink.of("lts-test-tm-0").contains("PodReady lts-test-tm-0")
                && sink.of("lts-test-jm-0").contains("PodReady lts-test-jm-0"));
        String jobManagerUrl = backend.jobManager(CLUSTER).orElseThrow().restUrl();
        // Really Flink 1.20, and its TaskManager registered under its pod name with the cluster's slots.
        // Ready is the port open; Flink's REST handlers answer 503 until the dispatcher is elected, a moment later.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(LocalBackends.get(jobManagerUrl + "/config")).contains("\"flink-version\":\"1.20.3\""));
        // Registered first, its slots reported a moment later (until then Flink lists it with 0 slots).
        await().atMost(Duration.ofSeconds(60)).until(() -> LocalBackends.get(jobManagerUrl + "/taskmanagers"),
                body -> body.contains("\"id\":\"lts-test-tm-0\"") && body.contains("\"slotsNumber\":2"));
        // 1.20 takes the platform's slot spreading key as it is (its enum knows NONE and SLOTS only).
        assertThat(LocalBackends.get(jobManagerUrl + "/jobmanager/config"))
                .contains("{\"key\":\"taskmanager.load-balance.mode\",\"value\":\"SLOTS\"}");

        String jobManagerLog = Files.readString(backend.podDirectory(CLUSTER, "lts-test-jm-0").resolve("lts-test-jm-0.log"));
        String taskManagerLog = Files.readString(backend.podDirectory(CLUSTER, "lts-test-tm-0").resolve("lts-test-tm-0.log"));
        // 1.20 reads config.yaml as standard YAML, like 2.x (not its legacy flink-conf.yaml parser).
        assertThat(jobManagerLog).contains("Starting StandaloneSessionClusterEntrypoint").contains("Version: 1.20.3")
                .contains("Using standard YAML parser");
        assertThat(taskManagerLog).contains("TaskExecutor").contains("Version: 1.20.3")
                .contains("Successful registration at resource manager");
        long pid = backend.pid(CLUSTER, "lts-test-tm-0").orElseThrow();

        backend.delete(new DeletePod("x-lts-test-tm-0", CLUSTER, Instant.now(), "cause", "test", "lts-test-tm-0", PodRole.TASK_MANAGER));

        await().atMost(Duration.ofSeconds(30)).until(() -> sink.of("lts-test-tm-0").contains("PodDeleted lts-test-tm-0"));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(backend.runningPods()).containsExactly(CLUSTER + "/lts-test-jm-0");
    }

}
