package dev.slipway.provisioner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.provisioner.RecordingSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local backend with real Flink 2.2 processes: a STATIC cluster's JobManager and a TaskManager. */
class LocalProcessBackendTest {

    private static final String CLUSTER = "local-test";
    private static final ClusterSpec SPEC = new ClusterSpec("local-test", "team-a", ClusterMode.STATIC, "2.2.0",
            new ProcessSize(0.5, 1024, 0), 1, new ProcessSize(0.5, 1024, 0), 2, 1, null, 0, null, null, Map.of());

    @TempDir
    Path root;

    private final RecordingSink sink = new RecordingSink();
    private LocalProcessBackend backend;

    @BeforeEach
    void start() {
        backend = newBackend();
        backend.start(sink);
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    private LocalProcessBackend newBackend() {
        return LocalBackends.newBackend(root);
    }

    private static ProvisionPod provision(String podName, PodRole role) {
        return new ProvisionPod("d-" + podName, CLUSTER, Instant.now(), "cause", "test", podName, role, null,
                role == PodRole.JOB_MANAGER ? SPEC.jobManager() : SPEC.taskManager(), 1, SPEC, null);
    }

    private static DeletePod delete(String podName, PodRole role) {
        return new DeletePod("x-" + podName, CLUSTER, Instant.now(), "cause", "test", podName, role);
    }

    @Test
    void aTaskManagerProcessStartsRegistersWithItsJobManagerAndStopsOnDelete() throws Exception {
        backend.provision(provision("local-test-jm-0", PodRole.JOB_MANAGER));
        backend.provision(provision("local-test-tm-0", PodRole.TASK_MANAGER));

        await().atMost(Duration.ofSeconds(60)).until(() -> sink.of("local-test-tm-0").contains("PodReady local-test-tm-0")
                && sink.of("local-test-jm-0").contains("PodReady local-test-jm-0"));
        String jobManagerUrl = backend.jobManager(CLUSTER).orElseThrow().restUrl();
        // Really a Flink TaskManager: it registered under its pod name, with the cluster's slots.
        // Registered first, its slots reported a moment later (until then Flink lists it with 0 slots).
        await().atMost(Duration.ofSeconds(60)).until(() -> LocalBackends.get(jobManagerUrl + "/taskmanagers"),
                body -> body.contains("\"id\":\"local-test-tm-0\"") && body.contains("\"slotsNumber\":2"));
        assertThat(Files.readString(backend.podDirectory(CLUSTER, "local-test-tm-0").resolve("local-test-tm-0.log")))
                .contains("TaskExecutor");
        long pid = backend.pid(CLUSTER, "local-test-tm-0").orElseThrow();
        // The platform's settings stay with the platform: tenant code in the pod reads none of them.
        assertThat(System.getenv("SLIPWAY_OPERATOR_TOKEN")).as("set by the build for this check").isNotNull();
        assertThat(Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1))
                .doesNotContain("SLIPWAY_").contains("PATH=");

        backend.delete(delete("local-test-tm-0", PodRole.TASK_MANAGER));

        await().atMost(Duration.ofSeconds(30)).until(() -> sink.of("local-test-tm-0").contains("PodDeleted local-test-tm-0"));
        assertThat(sink.of("local-test-tm-0")).containsExactly("PodCreated local-test-tm-0", "PodReady local-test-tm-0",
                "PodDeleted local-test-tm-0");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(backend.runningPods()).containsExactly(CLUSTER + "/local-test-jm-0");
        assertThat(((PodReady) sink.facts().stream().filter(f -> f instanceof PodReady r && r.podName().equals("local-test-tm-0"))
                .findFirst().orElseThrow()).address()).startsWith("127.0.0.1:");

        // A redelivered decision does not bring a deleted pod back.
        backend.provision(provision("local-test-tm-0", PodRole.TASK_MANAGER));
        assertThat(backend.runningPods()).containsExactly(CLUSTER + "/local-test-jm-0");
    }

    @Test
    void theFirstJobManagerListsItsClassesForTheArchiveAndTheNextStartsFromIt(@TempDir Path archives) throws Exception {
        backend.close();
        backend = LocalBackends.newBackend(root, archives);
        backend.start(sink);
        backend.provision(provision("local-test-jm-0", PodRole.JOB_MANAGER));
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.of("local-test-jm-0").contains("PodReady local-test-jm-0"));

        // Written in the background while the first JobManager runs on.
        await("the archive kept").atMost(Duration.ofSeconds(120)).until(() -> archiveIn(archives).isPresent());
        backend.provision(provision("local-test-jm-1", PodRole.JOB_MANAGER));

        await().atMost(Duration.ofSeconds(60)).until(() -> sink.of("local-test-jm-1").contains("PodReady local-test-jm-1"));
        String commandLine = ProcessHandle.of(backend.pid(CLUSTER, "local-test-jm-1").orElseThrow()).orElseThrow().info()
                .commandLine().orElseThrow();
        assertThat(commandLine).contains("-XX:SharedArchiveFile=" + archiveIn(archives).orElseThrow())
                .as("the configured JVM options").contains(" -XX:TieredStopAtLevel=1 ");
        assertThat(sink.of("local-test-jm-0")).as("the first JobManager serves on").containsExactly("PodCreated local-test-jm-0",
                "PodReady local-test-jm-0");
    }

    private static Optional<Path> archiveIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jsa")).findFirst();
        }
    }

    @Test
    void aKilledProcessIsAFailureWithItsExitCodeAndLastLogLines() throws Exception {
        backend.provision(provision("local-test-jm-0", PodRole.JOB_MANAGER));
        backend.provision(provision("local-test-tm-1", PodRole.TASK_MANAGER));
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.of("local-test-tm-1").contains("PodReady local-test-tm-1"));

        ProcessHandle.of(backend.pid(CLUSTER, "local-test-tm-1").orElseThrow()).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(30)).until(() -> sink.of("local-test-tm-1").contains("PodFailed local-test-tm-1"));
        PodFailed failed = (PodFailed) sink.facts().stream().filter(f -> f instanceof PodFailed).findFirst().orElseThrow();
        assertThat(failed.exitCode()).isEqualTo(137);
        assertThat(failed.reason()).isEqualTo("Killed");
        assertThat(failed.message()).contains("last lines of its log").contains("INFO");

        // The scheduler then deletes the failed pod: the pod is gone already, and saying so is enough.
        backend.delete(delete("local-test-tm-1", PodRole.TASK_MANAGER));
        assertThat(sink.of("local-test-tm-1")).endsWith("PodDeleted local-test-tm-1");
    }

    @Test
    void aRestartedBackendAdoptsItsRunningProcessesAndRunsEachPodOnce() throws Exception {
        backend.provision(provision("local-test-jm-0", PodRole.JOB_MANAGER));
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.of("local-test-jm-0").contains("PodReady local-test-jm-0"));
        long pid = backend.pid(CLUSTER, "local-test-jm-0").orElseThrow();

        // A second backend on the same root, as after a crash of the provisioner: it finds the process.
        RecordingSink afterRestart = new RecordingSink();
        LocalProcessBackend restarted = newBackend();
        try {
            restarted.start(afterRestart);
            assertThat(restarted.pid(CLUSTER, "local-test-jm-0")).contains(pid);
            await().atMost(Duration.ofSeconds(10)).until(() -> afterRestart.of("local-test-jm-0")
                    .equals(List.of("PodCreated local-test-jm-0", "PodReady local-test-jm-0")));
            restarted.provision(provision("local-test-jm-0", PodRole.JOB_MANAGER));
            assertThat(restarted.pid(CLUSTER, "local-test-jm-0")).contains(pid);
        } finally {
            restarted.close();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void anUnbuiltFlinkVersionIsAFailureThatSaysWhatToDo() {
        ClusterSpec old = new ClusterSpec("old", "team-a", ClusterMode.STATIC, "1.17.2", SPEC.jobManager(), 1, SPEC.taskManager(), 1, 1,
                null, 0, null, null, Map.of());
        backend.provision(new ProvisionPod("d-old", "old", Instant.now(), "cause", "test", "old-jm-0", PodRole.JOB_MANAGER, null,
                old.jobManager(), 1, old, null));

        PodFailed failed = (PodFailed) sink.facts().get(0);
        assertThat(failed.reason()).isEqualTo("UnsupportedFlinkVersion");
        assertThat(failed.message()).contains("1.17.2").contains("dist-1.17");
    }

}
