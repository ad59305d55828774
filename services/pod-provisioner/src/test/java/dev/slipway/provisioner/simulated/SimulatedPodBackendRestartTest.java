package dev.slipway.provisioner.simulated;

import static dev.slipway.provisioner.simulated.SimulatedDecisions.delete;
import static dev.slipway.provisioner.simulated.SimulatedDecisions.provision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.resources.PodFact;
import dev.slipway.provisioner.RecordingSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated pods outlive the provisioner, as real ones do: a backend started on the same root (after a kill -9, or another
 * instance taking the partitions over) reports every pod first, then finishes what each still had to go through, and the
 * facts are those of a run that was never interrupted.
 */
class SimulatedPodBackendRestartTest {

    private static final int PODS = 20;

    @TempDir
    Path uninterruptedRoot;

    @TempDir
    Path restartedRoot;

    private final ManualTime time = new ManualTime();

    private static SimulationSettings settings(Path root) {
        // Drawn ready delays around 5 s, up to about 30 s; a deletion takes 10 s; one pod in ten fails to start.
        return new SimulationSettings(root, 4, 10, Duration.ofSeconds(5), Duration.ofSeconds(30), 0.1, 0, 0, Duration.ofSeconds(10),
                11);
    }

    /** The first half of the story, on each backend at the same instants: pods provisioned, some ready, one deleting. */
    private void beforeTheKill(SimulatedPodBackend... backends) {
        for (SimulatedPodBackend backend : backends) {
            backend.provision(provision("sim-a", "sim-a-jm-0"));
            for (int i = 0; i < PODS - 1; i++) {
                backend.provision(provision("sim-a", "sim-a-tm-" + i));
            }
        }
        time.advance(Duration.ofSeconds(6));
        for (SimulatedPodBackend backend : backends) {
            backend.delete(delete("sim-a", "sim-a-tm-0"));
        }
        time.advance(Duration.ofSeconds(1));
    }

    @Test
    void aSecondInstanceReportsTheFirstOnesPodsAndFinishesTheirPendingTransitions() {
        RecordingSink uninterrupted = new RecordingSink();
        SimulatedPodBackend control = new SimulatedPodBackend(settings(uninterruptedRoot), time.clock(), time.timer());
        control.start(uninterrupted);
        RecordingSink beforeKill = new RecordingSink();
        SimulationTimer killedTimer = time.timer();
        SimulatedPodBackend killed = new SimulatedPodBackend(settings(restartedRoot), time.clock(), killedTimer);
        killed.start(beforeKill);
        // Both on the one clock, with the same seed and decisions: the same lives.
        beforeTheKill(control, killed);
        killedTimer.close(); // kill -9: nothing of the first instance runs any more, not even its close()

        RecordingSink afterRestart = new RecordingSink();
        SimulatedPodBackend restarted = new SimulatedPodBackend(settings(restartedRoot), time.clock(), time.timer());
        restarted.start(afterRestart);

        // First, every pod found, each with what it went through so far: none is left unreported.
        assertThat(afterRestart.facts().stream().filter(fact -> fact.getClass().getSimpleName().equals("PodCreated")))
                .hasSize(PODS);
        List<String> readyBeforeKill = beforeKillOf(beforeKill, "PodReady");
        assertThat(beforeKillOf(afterRestart, "PodReady")).containsExactlyInAnyOrderElementsOf(readyBeforeKill);
        assertThat(readyBeforeKill).as("some ready and some not when killed").isNotEmpty().hasSizeLessThan(PODS);

        time.advance(Duration.ofMinutes(30));

        // Then the rest, at their drawn instants: together, the facts of the run that was never interrupted.
        assertThat(distinct(beforeKill, afterRestart)).isEqualTo(distinct(uninterrupted));
        assertThat(afterRestart.of("sim-a-tm-0")).endsWith("PodDeleted sim-a-tm-0");
        assertThat(restarted.watchedPods()).hasSize(PODS - 1).doesNotContain("sim-a/sim-a-tm-0");
        control.close();
        restarted.close();
    }

    @Test
    void anInstanceSharingTheRootSeesTheOtherOnesDeletionAndReportsNothingMoreOfThePod() {
        Path root = restartedRoot;
        SimulationSettings settings = new SimulationSettings(root, 4, 10, Duration.ofSeconds(5), Duration.ofSeconds(5), 0, 0, 0,
                Duration.ZERO, 3);
        RecordingSink first = new RecordingSink();
        RecordingSink second = new RecordingSink();
        SimulatedPodBackend one = new SimulatedPodBackend(settings, time.clock(), time.timer());
        SimulatedPodBackend other = new SimulatedPodBackend(settings, time.clock(), time.timer());
        one.start(first);
        other.start(second);
        one.provision(provision("sim-a", "sim-a-tm-0"));

        // The cluster's partition moved to the other instance, which deletes the pod before it is ready.
        other.delete(delete("sim-a", "sim-a-tm-0"));
        time.advance(Duration.ofMinutes(1));

        assertThat(first.of("sim-a-tm-0")).containsExactly("PodCreated sim-a-tm-0");
        assertThat(second.of("sim-a-tm-0")).containsExactly("PodCreated sim-a-tm-0", "PodDeleted sim-a-tm-0");
        assertThat(one.watchedPods()).isEmpty();
        assertThat(one.load("sim-node-0000")).isZero();
        one.close();
        other.close();
    }

    private static List<String> beforeKillOf(RecordingSink sink, String type) {
        return sink.facts().stream().filter(fact -> fact.getClass().getSimpleName().equals(type)).map(PodFact::podName).toList();
    }

    /** Each fact once (a restart reports again what it finds, with the same ids), by id. */
    private static Map<String, PodFact> distinct(RecordingSink... sinks) {
        Map<String, PodFact> byId = new LinkedHashMap<>();
        List<PodFact> all = new ArrayList<>();
        for (RecordingSink sink : sinks) {
            all.addAll(sink.facts());
        }
        all.forEach(fact -> byId.putIfAbsent(fact.eventId(), fact));
        return byId.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .collect(LinkedHashMap::new, (map, entry) -> map.put(entry.getKey(), entry.getValue()), Map::putAll);
    }
}
