package dev.slipway.provisioner.simulated;

import static dev.slipway.provisioner.simulated.SimulatedDecisions.provision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.provisioning.PodFactSink;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of 50,000 pods (1,000 clusters of a JobManager and 49 TaskManagers) on the default 1,000 simulated nodes: what
 * creating and readying them costs, and what a restart that finds them all costs. It prints pods per second and asserts
 * no time (the machine is shared); it does assert that every pod was created and became ready, twice.
 */
class SimulatedFleetTest {

    private static final int CLUSTERS = 1_000;
    private static final int PODS_PER_CLUSTER = 50;
    private static final int PODS = CLUSTERS * PODS_PER_CLUSTER;

    @TempDir
    Path root;

    /** Counts, keeps nothing: the facts of 50,000 pods need not stay in memory. */
    private static final class CountingSink implements PodFactSink {
        int created;
        int ready;
        int other;

        @Override
        public void report(PodFact fact) {
            if (fact instanceof PodCreated) {
                created++;
            } else if (fact instanceof PodReady) {
                ready++;
            } else {
                other++;
            }
        }
    }

    @Test
    void fiftyThousandPodsAreCreatedAndReadyOnOneMachine() {
        SimulationSettings settings = new SimulationSettings(root, 1_000, 64, Duration.ofSeconds(5), Duration.ofSeconds(30), 0, 0, 0,
                Duration.ZERO, 1);
        ManualTime time = new ManualTime();
        CountingSink sink = new CountingSink();
        SimulatedPodBackend backend = new SimulatedPodBackend(settings, time.clock(), time.timer());
        backend.start(sink);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long startedCpu = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        for (int cluster = 0; cluster < CLUSTERS; cluster++) {
            String clusterId = "fleet-" + cluster;
            backend.provision(provision(clusterId, clusterId + "-jm-0"));
            for (int tm = 1; tm < PODS_PER_CLUSTER; tm++) {
                backend.provision(provision(clusterId, clusterId + "-tm-" + tm));
            }
        }
        long created = System.nanoTime();
        time.advance(Duration.ofMinutes(30));
        long ready = System.nanoTime();
        long readyCpu = threads.getCurrentThreadCpuTime();
        backend.close();

        assertThat(sink.created).isEqualTo(PODS);
        assertThat(sink.ready).isEqualTo(PODS);
        assertThat(sink.other).isZero();

        CountingSink afterRestart = new CountingSink();
        SimulatedPodBackend restarted = new SimulatedPodBackend(settings, time.clock(), time.timer());
        long restarting = System.nanoTime();
        restarted.start(afterRestart);
        long found = System.nanoTime();
        restarted.close();

        assertThat(afterRestart.created).isEqualTo(PODS);
        assertThat(afterRestart.ready).isEqualTo(PODS);
        // The thread's CPU time (user and system) as well: on a shared machine, wall time includes waiting for a core.
        System.out.printf(Locale.ROOT, "SIMULATED backend, %,d pods on %,d nodes: created %,.0f pods/s (%.1f s), readied %,.0f pods/s"
                        + " (%.1f s), created and ready %,.0f pods/s (%,.0f pods per CPU second); a restart found and reported them"
                        + " at %,.0f pods/s (%.1f s)%n",
                PODS, settings.nodes(), rate(started, created), seconds(started, created), rate(created, ready), seconds(created, ready),
                rate(started, ready), rate(startedCpu, readyCpu), rate(restarting, found), seconds(restarting, found));
    }

    private static double rate(long from, long to) {
        return PODS / seconds(from, to);
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }
}
