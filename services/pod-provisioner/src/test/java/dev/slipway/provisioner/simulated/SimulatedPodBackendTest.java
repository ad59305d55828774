package dev.slipway.provisioner.simulated;

import static dev.slipway.provisioner.simulated.SimulatedDecisions.delete;
import static dev.slipway.provisioner.simulated.SimulatedDecisions.provision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.provisioner.RecordingSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated backend on a manual clock: the facts of a pod's life, in order, at their drawn instants. */
class SimulatedPodBackendTest {

    private static final String CLUSTER = "sim-a";

    @TempDir
    Path root;

    private final ManualTime time = new ManualTime();
    private final RecordingSink sink = new RecordingSink();
    private SimulatedPodBackend backend;

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    private SimulationSettings settings(double startFailures, double ooms, double evictions, Duration termination) {
        return new SimulationSettings(root, 10, 10, Duration.ofSeconds(5), Duration.ofSeconds(30), startFailures, ooms, evictions,
                termination, 7);
    }

    private SimulatedPodBackend start(SimulationSettings settings) {
        backend = new SimulatedPodBackend(settings, time.clock(), time.timer());
        backend.start(sink);
        return backend;
    }

    private <T extends PodFact> List<T> facts(Class<T> type) {
        return sink.facts().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aPodIsCreatedAtOnceOnANodeAndReadyAfterItsDrawnDelay() {
        SimulationSettings settings = settings(0, 0, 0, Duration.ZERO);
        start(settings);
        Instant readyAt = new PodLives(settings, new SplittableRandom(settings.seed())).draw(ManualTime.START).readyAt();

        backend.provision(provision(CLUSTER, "sim-a-tm-0"));

        PodCreated created = facts(PodCreated.class).get(0);
        assertThat(created.occurredAt()).isEqualTo(ManualTime.START);
        assertThat(created.nodeName()).isEqualTo("sim-node-0000");
        assertThat(created.role()).isEqualTo(PodRole.TASK_MANAGER);
        time.advance(Duration.between(ManualTime.START, readyAt).minusMillis(1));
        assertThat(sink.of("sim-a-tm-0")).containsExactly("PodCreated sim-a-tm-0");

        time.advance(Duration.ofMillis(1));

        assertThat(sink.of("sim-a-tm-0")).containsExactly("PodCreated sim-a-tm-0", "PodReady sim-a-tm-0");
        PodReady ready = facts(PodReady.class).get(0);
        assertThat(ready.occurredAt()).isEqualTo(readyAt);
        assertThat(ready.nodeName()).isEqualTo("sim-node-0000");
        assertThat(ready.address()).isEqualTo("sim-node-0000:40000");
        assertThat(time.waiting()).as("a pod that runs until deleted waits for nothing").isZero();
    }

    @Test
    void aJobManagerIsAPodLikeAnyOther() {
        start(settings(0, 0, 0, Duration.ZERO));

        backend.provision(provision(CLUSTER, "sim-a-jm-0"));
        time.advance(Duration.ofMinutes(10));

        assertThat(sink.of("sim-a-jm-0")).containsExactly("PodCreated sim-a-jm-0", "PodReady sim-a-jm-0");
        assertThat(facts(PodReady.class).get(0).role()).isEqualTo(PodRole.JOB_MANAGER);
    }

    @Test
    void aDeletedPodIsGoneAtOnceByDefault() {
        start(settings(0, 0, 0, Duration.ZERO));
        backend.provision(provision(CLUSTER, "sim-a-tm-0"));
        time.advance(Duration.ofMinutes(10));

        backend.delete(delete(CLUSTER, "sim-a-tm-0"));

        assertThat(sink.of("sim-a-tm-0")).containsExactly("PodCreated sim-a-tm-0", "PodReady sim-a-tm-0", "PodDeleted sim-a-tm-0");
        assertThat(facts(PodDeleted.class).get(0).occurredAt()).isEqualTo(time.now());
        assertThat(backend.load("sim-node-0000")).isZero();
        assertThat(backend.watchedPods()).isEmpty();
    }

    @Test
    void aPodDeletedBeforeItIsReadyIsNeverReadyAndGoneAfterTheTerminationDelay() {
        start(new SimulationSettings(root, 10, 10, Duration.ofSeconds(5), Duration.ofSeconds(5), 0, 0, 0, Duration.ofSeconds(10), 7));
        backend.provision(provision(CLUSTER, "sim-a-tm-0"));
        time.advance(Duration.ofSeconds(1));

        backend.delete(delete(CLUSTER, "sim-a-tm-0"));
        backend.delete(delete(CLUSTER, "sim-a-tm-0")); // redelivered: the pod keeps its end
        time.advance(Duration.ofSeconds(9));
        assertThat(sink.of("sim-a-tm-0")).containsExactly("PodCreated sim-a-tm-0");
        assertThat(backend.load("sim-node-0000")).as("a terminating pod holds its slot").isEqualTo(1);

        time.advance(Duration.ofSeconds(1));

        assertThat(sink.of("sim-a-tm-0")).containsExactly("PodCreated sim-a-tm-0", "PodDeleted sim-a-tm-0");
        assertThat(facts(PodDeleted.class).get(0).occurredAt()).isEqualTo(ManualTime.START.plusSeconds(11));
        assertThat(backend.load("sim-node-0000")).isZero();
    }

    @Test
    void aPodThatExistsIsNotCreatedTwice() {
        start(settings(0, 0, 0, Duration.ZERO));

        backend.provision(provision(CLUSTER, "sim-a-tm-0"));
        backend.provision(provision(CLUSTER, "sim-a-tm-0"));
        time.advance(Duration.ofMinutes(10));

        assertThat(sink.of("sim-a-tm-0")).containsExactly("PodCreated sim-a-tm-0", "PodReady sim-a-tm-0");
        assertThat(backend.load("sim-node-0000") + backend.load("sim-node-0001")).isEqualTo(1);
    }

    @Test
    void aDeletedPodIsNotRecreatedByARedeliveredDecisionNotEvenAfterARestart() {
        start(settings(0, 0, 0, Duration.ZERO));
        backend.provision(provision(CLUSTER, "sim-a-tm-0"));
        backend.delete(delete(CLUSTER, "sim-a-tm-0"));

        backend.provision(provision(CLUSTER, "sim-a-tm-0"));
        backend.close();
        RecordingSink afterRestart = new RecordingSink();
        SimulatedPodBackend restarted = new SimulatedPodBackend(settings(0, 0, 0, Duration.ZERO), time.clock(), time.timer());
        restarted.start(afterRestart);
        restarted.provision(provision(CLUSTER, "sim-a-tm-0"));
        time.advance(Duration.ofMinutes(10));

        assertThat(sink.of("sim-a-tm-0")).containsExactly("PodCreated sim-a-tm-0", "PodDeleted sim-a-tm-0");
        assertThat(afterRestart.facts()).isEmpty();
        assertThat(restarted.watchedPods()).isEmpty();
        restarted.close();
    }

    @Test
    void deletingAPodThatDoesNotExistReportsItGone() {
        start(settings(0, 0, 0, Duration.ZERO));

        backend.delete(delete(CLUSTER, "sim-a-tm-9"));

        assertThat(sink.of("sim-a-tm-9")).containsExactly("PodDeleted sim-a-tm-9");
    }

    @Test
    void atStartFailureProbabilityOneEveryPodFailsInsteadOfBecomingReadyAndLeavesItsNode() {
        start(settings(1, 0, 0, Duration.ZERO));

        for (int i = 0; i < 50; i++) {
            backend.provision(provision(CLUSTER, "sim-a-tm-" + i));
        }
        time.advance(Duration.ofHours(1));

        assertThat(facts(PodReady.class)).isEmpty();
        assertThat(facts(PodFailed.class)).hasSize(50).extracting(PodFailed::reason)
                .containsOnly("ImagePullBackOff", "CrashLoopBackOff").contains("ImagePullBackOff", "CrashLoopBackOff");
        assertThat(facts(PodFailed.class)).filteredOn(failed -> failed.reason().equals("CrashLoopBackOff"))
                .extracting(PodFailed::exitCode).containsOnly(1);
        assertThat(sink.of("sim-a-tm-0")).containsExactly("PodCreated sim-a-tm-0", "PodFailed sim-a-tm-0");
        for (int node = 0; node < 10; node++) {
            assertThat(backend.load(SimulatedNodes.name(node))).isZero();
        }
        // The scheduler deletes a failed pod; it was there until then.
        backend.delete(delete(CLUSTER, "sim-a-tm-0"));
        assertThat(sink.of("sim-a-tm-0")).endsWith("PodDeleted sim-a-tm-0");
    }

    @Test
    void withEveryRateZeroNoPodFailsInAThousandHours() {
        start(settings(0, 0, 0, Duration.ZERO));

        for (int i = 0; i < 50; i++) {
            backend.provision(provision(CLUSTER, "sim-a-tm-" + i));
        }
        time.advance(Duration.ofHours(1000));

        assertThat(facts(PodReady.class)).hasSize(50);
        assertThat(facts(PodFailed.class)).isEmpty();
        assertThat(time.waiting()).isZero();
    }

    @Test
    void oomKillsAndEvictionsHappenToReadyPodsAtTheirRates() {
        SimulationSettings settings = new SimulationSettings(root, 200, 64, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, 0.5,
                0.1, Duration.ZERO, 7);
        start(settings);
        int pods = 10_000;

        for (int i = 0; i < pods; i++) {
            backend.provision(provision("sim-" + (i / 50), "sim-" + (i / 50) + "-tm-" + i));
        }
        time.advance(Duration.ofHours(1).plusSeconds(1));

        // Each ready pod meets its first OOM kill within the hour with 1 - e^-(0.5 + 0.1), and it is an OOM kill 5 times in 6.
        double ended = 1 - Math.exp(-0.6);
        List<PodFailed> failed = facts(PodFailed.class);
        long ooms = failed.stream().filter(f -> f.reason().equals("OOMKilled")).count();
        long evictions = failed.stream().filter(f -> f.reason().equals("Evicted")).count();
        assertThat(facts(PodReady.class)).hasSize(pods);
        assertThat((double) ooms / pods).isCloseTo(ended * 5 / 6, within(0.02));
        assertThat((double) evictions / pods).isCloseTo(ended / 6, within(0.01));
        assertThat(failed).filteredOn(f -> f.reason().equals("OOMKilled")).extracting(PodFailed::exitCode).containsOnly(137);
        assertThat(failed).filteredOn(f -> f.reason().equals("Evicted")).extracting(PodFailed::exitCode).containsOnlyNulls();
        // Killed while running: ready first, then failed.
        String killed = failed.get(0).podName();
        assertThat(sink.of(killed)).containsExactly("PodCreated " + killed, "PodReady " + killed, "PodFailed " + killed);
    }

    @Test
    void aPodForWhichNoNodeHasRoomFailsAsUnschedulableUntilOneHasRoom() {
        start(new SimulationSettings(root, 2, 2, Duration.ofSeconds(5), Duration.ofSeconds(30), 0, 0, 0, Duration.ZERO, 7));
        for (int i = 0; i < 4; i++) {
            backend.provision(provision(CLUSTER, "sim-a-tm-" + i));
        }

        backend.provision(provision(CLUSTER, "sim-a-tm-4"));

        assertThat(sink.of("sim-a-tm-4")).containsExactly("PodFailed sim-a-tm-4");
        PodFailed unschedulable = facts(PodFailed.class).get(0);
        assertThat(unschedulable.reason()).isEqualTo("Unschedulable");
        assertThat(unschedulable.message()).contains("0/2 nodes are available");
        assertThat(Files.exists(root.resolve(CLUSTER).resolve("sim-a-tm-4.json"))).as("nothing was created").isFalse();

        backend.delete(delete(CLUSTER, "sim-a-tm-1"));
        backend.provision(provision(CLUSTER, "sim-a-tm-4")); // the scheduler asks again

        assertThat(sink.of("sim-a-tm-4")).containsExactly("PodFailed sim-a-tm-4", "PodCreated sim-a-tm-4");
    }

    @Test
    void aClustersTaskManagersSpreadOverTheNodes() {
        start(new SimulationSettings(root, 3, 10, Duration.ofSeconds(5), Duration.ofSeconds(30), 0, 0, 0, Duration.ZERO, 7));

        backend.provision(provision(CLUSTER, "sim-a-jm-0"));
        for (int i = 0; i < 3; i++) {
            backend.provision(provision(CLUSTER, "sim-a-tm-" + i));
        }

        // The JobManager went to the first node; the TaskManagers one to a node, the first where the JobManager is not.
        assertThat(facts(PodCreated.class)).extracting(PodCreated::nodeName)
                .containsExactly("sim-node-0000", "sim-node-0001", "sim-node-0002", "sim-node-0000");
    }

    @Test
    void aNameThatIsNoSafeFileNameIsRefusedAsInvalid() {
        start(settings(0, 0, 0, Duration.ZERO));

        backend.provision(provision(CLUSTER, "../../escape"));

        assertThat(facts(PodFailed.class)).singleElement().extracting(PodFailed::reason).isEqualTo("Invalid");
        assertThat(Files.exists(root.getParent().resolve("escape.json"))).isFalse();
    }

    @Test
    void aDecisionBeforeStartIsRefused() {
        backend = new SimulatedPodBackend(settings(0, 0, 0, Duration.ZERO), time.clock(), time.timer());

        assertThatThrownBy(() -> backend.provision(provision(CLUSTER, "sim-a-tm-0"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eachPodIsOneJsonFileUnderItsCluster() throws Exception {
        start(settings(0, 0, 0, Duration.ZERO));

        backend.provision(provision(CLUSTER, "sim-a-tm-0"));

        try (Stream<Path> files = Files.list(root.resolve(CLUSTER))) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("sim-a-tm-0.json");
        }
        assertThat(Files.readString(root.resolve(CLUSTER).resolve("sim-a-tm-0.json")))
                .contains("\"node\":\"sim-node-0000\"", "\"readyAt\":\"2027-03-01T08:00:");
    }
}
