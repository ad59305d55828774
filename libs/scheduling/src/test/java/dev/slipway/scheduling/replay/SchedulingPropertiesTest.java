package dev.slipway.scheduling.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.RequestRefused;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.scheduling.ClusterState;
import dev.slipway.scheduling.Policy;
import dev.slipway.scheduling.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants that hold over any generated trace, under any policy: each property runs over 25
 * generated cases (trace seed, cluster count, policy knobs), themselves drawn from a fixed seed so a
 * failure is repeatable and names its case.
 */
class SchedulingPropertiesTest {

    /** seed, clusters (1..6), warm pool (0..4), max TaskManagers (1..12). */
    static Stream<Arguments> cases() {
        Random random = new Random(20261125L);
        return Stream.generate(() -> Arguments.of(1 + random.nextInt(1_000_000), 1 + random.nextInt(6),
                random.nextInt(5), 1 + random.nextInt(12))).limit(25);
    }

    /** Larger traces for the deletion property: seed, clusters (4..30). */
    static Stream<Arguments> largerCases() {
        Random random = new Random(42L);
        return Stream.generate(() -> Arguments.of(1 + random.nextInt(1_000_000), 4 + random.nextInt(27), 0, 0)).limit(15);
    }

    private static Simulator.Result simulate(long seed, int clusters, Policy policy) {
        TraceGenerator.Options options = new TraceGenerator.Options(clusters, Duration.ofMinutes(40), Duration.ofSeconds(15), seed);
        return TraceGenerator.generate(options).simulate(policy);
    }

    private static Policy policy(int warmPool, int maxTaskManagers, long idleTimeout) {
        return Policy.RECORDED.withWarmPool(warmPool).withMaxTaskManagers(maxTaskManagers).withIdleTimeoutSeconds(idleTimeout);
    }

    @ParameterizedTest(name = "seed {0}, {1} clusters, warm {2}, max {3}")
    @MethodSource("cases")
    void neverMoreTaskManagersThanTheLimit(long seed, int clusters, int warmPool, int max) {
        Policy policy = policy(warmPool, max, 120);
        Simulator.Result result = simulate(seed, clusters, policy);
        Scheduler scheduler = new Scheduler(policy);
        for (ResourceEvent event : result.trace()) {
            scheduler.handle(event);
            ClusterState state = scheduler.cluster(event.clusterId()).orElseThrow();
            if (state.spec() != null) {
                assertThat(state.liveTaskManagers()).as("live TaskManagers of %s after %s", state.clusterId(), event.eventId())
                        .isLessThanOrEqualTo(state.spec().taskManagerLimit());
            }
        }
    }

    /**
     * A requested TaskManager is served (its pod became ready), refused, or ended with a pod that went
     * before it was ready: the request ends with its pod, and the simulated Flink asks again under a
     * new id for what it still needs, a request that must be answered in turn.
     */
    @ParameterizedTest(name = "seed {0}, {1} clusters, warm {2}, max {3}")
    @MethodSource("cases")
    void everyRequestedTaskManagerIsEventuallyServedOrRefused(long seed, int clusters, int warmPool, int max) {
        ReplayReport report = simulate(seed, clusters, policy(warmPool, max, 120)).report();
        assertThat(report.requests()).isPositive();
        assertThat(report.unanswered()).as(report.render()).isZero();
    }

    @ParameterizedTest(name = "seed {0}, {1} clusters, warm {2}, max {3}")
    @MethodSource("cases")
    void replayReproducesTheDecisions(long seed, int clusters, int warmPool, int max) {
        Policy policy = policy(warmPool, max, 120);
        Simulator.Result result = simulate(seed, clusters, policy);
        // The recorded trace carries the specs as recorded; the policy is part of what is replayed.
        List<Decision> replayed = Replay.run(result.trace(), policy).decisions();
        assertThat(replayed).isEqualTo(result.decisions());
        Simulator.Result recorded = simulate(seed, clusters, Policy.RECORDED);
        DeterminismCheck check = Replay.verify(recorded.trace(), recorded.decisions());
        assertThat(check.reproduced()).as(check.render()).isTrue();
    }

    @ParameterizedTest(name = "seed {0}, {1} clusters, warm {2}, max {3}")
    @MethodSource("cases")
    void redeliveringRunsOfEventsChangesNoDecision(long seed, int clusters, int warmPool, int max) {
        Policy policy = policy(warmPool, max, 120);
        Simulator.Result result = simulate(seed, clusters, policy);
        // At-least-once as Kafka does it: after a rebalance a whole run of records comes again.
        List<ResourceEvent> trace = result.trace();
        List<ResourceEvent> redelivered = new ArrayList<>();
        int chunk = 2 + (int) (seed % 11);
        for (int from = 0; from < trace.size(); from += chunk) {
            List<ResourceEvent> run = trace.subList(from, Math.min(trace.size(), from + chunk));
            redelivered.addAll(run);
            redelivered.addAll(run);
        }
        assertThat(Replay.run(redelivered, policy).decisions()).isEqualTo(result.decisions());
    }

    @ParameterizedTest(name = "seed {0}, {1} clusters")
    @MethodSource("largerCases")
    void aDeletedClusterOnlyGetsDeletionsAndRefusals(long seed, int clusters, int unusedWarmPool, int unusedMax) {
        Simulator.Result result = simulate(seed, clusters, Policy.RECORDED);
        Set<String> deleted = new HashSet<>();
        Scheduler scheduler = new Scheduler();
        for (ResourceEvent event : result.trace()) {
            boolean wasDeleted = deleted.contains(event.clusterId());
            List<Decision> decisions = scheduler.handle(event);
            if (wasDeleted) {
                assertThat(decisions).as("decisions for deleted %s at %s", event.clusterId(), event.eventId())
                        .allMatch(decision -> decision instanceof DeletePod || decision instanceof RequestRefused);
            }
            if (event instanceof ClusterDeleted) {
                deleted.add(event.clusterId());
            }
        }
    }

    @ParameterizedTest(name = "seed {0}, {1} clusters, warm {2}, max {3}")
    @MethodSource("cases")
    void decisionIdsAreUnique(long seed, int clusters, int warmPool, int max) {
        List<Decision> decisions = simulate(seed, clusters, policy(warmPool, max, 120)).decisions();
        assertThat(decisions).isNotEmpty();
        assertThat(decisions.stream().map(Decision::decisionId).distinct().count()).isEqualTo(decisions.size());
    }
}
