package dev.slipway.loadtests;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.FailurePolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.resources.ResourcesReleased;
import dev.slipway.contracts.resources.ResourcesRequested;
import dev.slipway.scheduling.Scheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The decider on one large cluster: N TaskManagers asked for one at a time (as Flink's resource manager does), each
 * created and ready on one of 100 nodes, then all released and deleted. Every event is decided against a cluster of up
 * to N pods and N open requests, so this shows how the cost of one event grows with the cluster (the fleet benchmarks
 * have clusters of a few pods). Pure decider, one thread.
 *
 * <p>Run: {@code ./mvnw -B -pl loadtests exec:exec@large-cluster [-Dbench.large.sizes=100,1000,5000]}
 */
public final class LargeClusterBenchmark {

    private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
    private static final String CLUSTER = "large-1";

    private LargeClusterBenchmark() {
    }

    public static void main(String[] args) {
        int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "100,1000,5000").split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long warmUpEnds = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < warmUpEnds) {
            run(500); // the JIT's warm-up, before any round is measured
        }
        for (int size : sizes) {
            double best = 0;
            for (int round = 1; round <= rounds; round++) {
                // A round is whole lives of the cluster, at least half a second of them.
                long events = 0;
                long begin = System.nanoTime();
                do {
                    events += run(size);
                } while (System.nanoTime() - begin < 500_000_000L);
                double seconds = (System.nanoTime() - begin) / 1e9;
                best = Math.max(best, events / seconds);
            }
            System.out.printf("%,6d TaskManagers: %,10.0f events/s (best of %d rounds; %.1f us per event)%n", size, best, rounds,
                    1e6 / best);
        }
    }

    /** One cluster's life; answers the number of events decided. */
    private static long run(int taskManagers) {
        Scheduler scheduler = new Scheduler();
        long[] clock = {0};
        long[] events = {0};
        List<String> pods = new ArrayList<>(taskManagers);
        ClusterSpec spec = new ClusterSpec("large", "team-a", ClusterMode.ELASTIC, "2.2.0", new ProcessSize(1, 1600, 0), 1,
                new ProcessSize(1, 1024, 0), 2, 0, new ElasticPolicy(0, taskManagers, 600), 0, new FailurePolicy(600, 3, 10, 160),
                NetworkProfile.POD_NETWORK, Map.of());
        handle(scheduler, new ClusterSpecCreated(id(events), CLUSTER, at(clock), 1, spec), events);
        for (int i = 0; i < taskManagers; i++) {
            for (Decision decision : handle(scheduler, new ResourcesRequested(id(events), CLUSTER, at(clock), "r-" + i, 1, null), events)) {
                if (decision instanceof ProvisionPod provision && provision.role() == PodRole.TASK_MANAGER) {
                    String pod = provision.podName();
                    pods.add(pod);
                    handle(scheduler, new PodCreated(id(events), CLUSTER, at(clock), pod, PodRole.TASK_MANAGER, null, null), events);
                    handle(scheduler, new PodReady(id(events), CLUSTER, at(clock), pod, PodRole.TASK_MANAGER, "node-" + i % 100,
                            "10.0.0.1:6122"), events);
                }
            }
        }
        if (pods.size() != taskManagers) {
            throw new IllegalStateException(pods.size() + " TaskManagers provisioned, " + taskManagers + " asked for");
        }
        for (String pod : pods) {
            for (Decision decision : handle(scheduler, new ResourcesReleased(id(events), CLUSTER, at(clock), pod, "idle"), events)) {
                if (decision instanceof DeletePod) {
                    handle(scheduler, new PodDeleted(id(events), CLUSTER, at(clock), pod), events);
                }
            }
        }
        return events[0];
    }

    private static List<Decision> handle(Scheduler scheduler, ResourceEvent event, long[] events) {
        events[0]++;
        return scheduler.handle(event);
    }

    private static String id(long[] events) {
        return "e-" + events[0];
    }

    private static Instant at(long[] clock) {
        return START.plusMillis(clock[0]++);
    }
}
