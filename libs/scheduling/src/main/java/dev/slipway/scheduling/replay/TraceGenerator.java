package dev.slipway.scheduling.replay;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.FailurePolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.resources.ClockTicked;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.resources.ResourcesReleased;
import dev.slipway.contracts.resources.ResourcesRequested;
import dev.slipway.scheduling.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Realistic, repeatable demand for tests and benchmarks: clusters created over the first minute,
 * jobs arriving in bursts that need TaskManagers and release them when they finish, some needing
 * more than the cluster's maximum, a few TaskManagers failing, a few clusters crash-looping for their
 * first minutes (at least one in thirty), a few deleted near the end, and clock ticks throughout. The same seed gives the same
 * trace. Its output is simulation input ({@link Simulator#run}): a job's {@code ResourcesRequested} is
 * its demand, which the simulated Flink meets from warm TaskManagers first and asks for the rest of.
 */
public final class TraceGenerator {

    public static final Instant START = Instant.parse("2026-11-25T00:00:00Z");

    /** What to generate. */
    public record Options(int clusters, Duration length, Duration tickInterval, long seed) {

        public static Options of(int clusters, long seed) {
            return new Options(clusters, Duration.ofHours(1), Duration.ofSeconds(15), seed);
        }
    }

    /** Simulation input and the provisioner behaviour (crash-looping clusters) that goes with it. */
    public record Trace(List<ResourceEvent> external, ProvisionerModel model) {

        public Simulator.Result simulate(Policy policy) {
            return Simulator.run(external, model, policy);
        }
    }

    private record Timed(Instant at, long sequence, ResourceEvent event) {
    }

    private final Options options;
    private final Random random;
    private final List<Timed> events = new ArrayList<>();
    private long sequence;

    private TraceGenerator(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
    }

    public static Trace generate(Options options) {
        return new TraceGenerator(options).build();
    }

    private Trace build() {
        Set<String> crashLooping = new HashSet<>();
        Instant end = START.plus(options.length());
        for (int i = 0; i < options.clusters(); i++) {
            String cluster = String.format("c-%05d", i);
            boolean elastic = random.nextInt(10) < 8;
            Instant created = START.plusSeconds(random.nextInt(60));
            ClusterSpec spec = elastic ? elasticSpec(cluster) : staticSpec(cluster);
            add(new ClusterSpecCreated(id(cluster), cluster, created, 1, spec));
            if (random.nextInt(100) < 3 || i % 30 == 1) {
                crashLooping.add(cluster);
            }
            if (elastic) {
                jobs(cluster, spec, created, end);
            }
            Instant deletedAt = null;
            if (random.nextInt(100) < 5) {
                deletedAt = end.minusSeconds(60 + random.nextInt(300));
                add(new ClusterDeleted(id(cluster), cluster, deletedAt, 2));
            }
            for (Instant t = created.plus(options.tickInterval()); t.isBefore(end); t = t.plus(options.tickInterval())) {
                add(new ClockTicked(id(cluster), cluster, t));
            }
        }
        events.sort(Comparator.comparing(Timed::at).thenComparingLong(Timed::sequence));
        List<ResourceEvent> external = events.stream().map(Timed::event).toList();
        ProvisionerModel model = new ProvisionerModel(1_000, 4_000, 1_000, 8, crashLooping, START.plusSeconds(300));
        return new Trace(external, model);
    }

    /** Jobs arrive, need TaskManagers, run a while and release them; the last quarter is quiet so things settle. */
    private void jobs(String cluster, ClusterSpec spec, Instant created, Instant end) {
        Instant quiet = end.minus(options.length().dividedBy(4));
        Instant t = created.plusSeconds(5 + random.nextInt(120));
        int job = 0;
        while (t.isBefore(quiet)) {
            String request = "r-" + (++job);
            int max = spec.elastic().maxTaskManagers();
            int count = random.nextInt(10) == 0 ? max + 1 + random.nextInt(3) : 1 + random.nextInt(Math.min(6, max));
            add(new ResourcesRequested(id(cluster), cluster, t, request, count, null));
            long runtime = 60 + random.nextInt(900);
            for (int slot = 0; slot < count; slot++) {
                add(new ResourcesReleased(id(cluster), cluster, t.plusSeconds(runtime + slot),
                        Simulator.REQUEST_POD + request, "idle for 30 s"));
            }
            if (random.nextInt(100) < 5) {
                add(new PodFailed(id(cluster), cluster, t.plusSeconds(10 + random.nextInt((int) runtime - 5)),
                        Simulator.REQUEST_POD + request, "OOMKilled", 137, "TaskManager exceeded its memory limit"));
            }
            t = t.plusSeconds(30 + random.nextInt(600));
        }
    }

    private ClusterSpec elasticSpec(String cluster) {
        int max = 4 + random.nextInt(17);
        int warm = random.nextInt(4);
        long idle = 60 + 60L * random.nextInt(10);
        return new ClusterSpec(cluster, "tenant-" + random.nextInt(20), ClusterMode.ELASTIC, "2.2.0",
                new ProcessSize(1, 1600, 0), 1, new ProcessSize(1, 1024 * (1 + random.nextInt(4)), 0), 1 + random.nextInt(4),
                0, new ElasticPolicy(warm, max, idle), 0, new FailurePolicy(120, 3, 10, 300),
                random.nextBoolean() ? NetworkProfile.POD_NETWORK : NetworkProfile.HOST_NETWORK, Map.of());
    }

    private ClusterSpec staticSpec(String cluster) {
        return new ClusterSpec(cluster, "tenant-" + random.nextInt(20), ClusterMode.STATIC, "1.20.3",
                new ProcessSize(1, 1600, 0), 1, new ProcessSize(2, 4096, 0), 4, 1 + random.nextInt(5), null, 0,
                FailurePolicy.DEFAULT, NetworkProfile.POD_NETWORK, Map.of());
    }

    private void add(ResourceEvent event) {
        events.add(new Timed(event.occurredAt(), sequence++, event));
    }

    private String id(String cluster) {
        return "g-" + cluster + "-" + sequence;
    }
}
