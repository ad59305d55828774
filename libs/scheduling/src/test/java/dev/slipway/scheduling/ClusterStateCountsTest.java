package dev.slipway.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.scheduling.replay.Simulator;
import dev.slipway.scheduling.replay.TraceGenerator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The counts and indexes a cluster's state keeps as its pods and requests change (live pods per request, live, warm and
 * ready-per-node TaskManagers, live JobManagers, the first start and idle deadlines, the requests with a slot to serve and
 * those with nothing left) equal what a walk over its pods and requests gives, after every event of generated traces,
 * under varied policies, and in a restored copy.
 */
class ClusterStateCountsTest {

    /** seed, clusters (1..8), warm pool (0..4), max TaskManagers (1..12). */
    static Stream<Arguments> cases() {
        Random random = new Random(20261207L);
        return Stream.generate(() -> Arguments.of(1 + random.nextInt(1_000_000), 1 + random.nextInt(8), random.nextInt(5),
                1 + random.nextInt(12))).limit(20);
    }

    @ParameterizedTest(name = "seed {0}, {1} clusters, warm {2}, max {3}")
    @MethodSource("cases")
    void theKeptCountsAreThoseOfThePodsAfterEveryEvent(long seed, int clusters, int warmPool, int max) {
        Policy policy = Policy.RECORDED.withWarmPool(warmPool).withMaxTaskManagers(max).withIdleTimeoutSeconds(60);
        Simulator.Result result = TraceGenerator.generate(
                new TraceGenerator.Options(clusters, Duration.ofMinutes(30), Duration.ofSeconds(15), seed)).simulate(policy);
        Scheduler scheduler = new Scheduler(policy);
        int checked = 0;
        for (ResourceEvent event : result.trace()) {
            scheduler.handle(event);
            ClusterState state = scheduler.cluster(event.clusterId()).orElseThrow();
            assertCountsOfPods(state, "after " + event.eventId());
            checked++;
            if (checked % 97 == 0) {
                assertCountsOfPods(state.copy(), "a copy after " + event.eventId());
            }
        }
        assertThat(checked).isPositive();
    }

    private static void assertCountsOfPods(ClusterState state, String when) {
        Map<String, Integer> serving = new HashMap<>();
        int taskManagers = 0;
        int jobManagers = 0;
        int warm = 0;
        Map<String, Integer> readyPerNode = new TreeMap<>();
        long firstStarting = Long.MAX_VALUE;
        long firstIdle = Long.MAX_VALUE;
        for (PodRecord pod : state.pods()) {
            if (!pod.live()) {
                continue;
            }
            if (pod.requestId() != null) {
                serving.merge(pod.requestId(), 1, Integer::sum);
            }
            if (pod.status() != PodStatus.READY) {
                firstStarting = Math.min(firstStarting, pod.decidedAt().toEpochMilli());
            } else if (pod.warm() && pod.idleSince() != null) {
                firstIdle = Math.min(firstIdle, pod.idleSince().toEpochMilli());
            }
            if (pod.taskManager()) {
                taskManagers++;
                warm += pod.warm() ? 1 : 0;
                if (pod.status() == PodStatus.READY && pod.nodeName() != null) {
                    readyPerNode.merge(pod.nodeName(), 1, Integer::sum);
                }
            } else if (pod.role() == PodRole.JOB_MANAGER) {
                jobManagers++;
            }
        }
        String cluster = state.clusterId();
        assertThat(state.servingByRequest()).as("serving per request of %s %s", cluster, when).isEqualTo(serving);
        assertThat(state.liveTaskManagers()).as("live TaskManagers of %s %s", cluster, when).isEqualTo(taskManagers);
        assertThat(state.liveJobManagers()).as("live JobManagers of %s %s", cluster, when).isEqualTo(jobManagers);
        assertThat(state.warmTaskManagers()).as("warm TaskManagers of %s %s", cluster, when).isEqualTo(warm);
        assertThat(state.readyTaskManagersPerNode()).as("ready TaskManagers per node of %s %s", cluster, when)
                .containsExactlyEntriesOf(readyPerNode);
        assertThat(state.firstStartingDecidedAtMillis()).as("first pod starting in %s %s", cluster, when).isEqualTo(firstStarting);
        assertThat(state.firstIdleSinceMillis()).as("first idle warm pod of %s %s", cluster, when).isEqualTo(firstIdle);
        // The request indexes: what a walk over every open request, in arrival order, would select.
        List<RequestRecord> open = state.openRequestsInArrivalOrder();
        assertThat(state.unservedRequests()).as("requests with a slot to serve in %s %s", cluster, when)
                .containsExactlyElementsOf(open.stream()
                        .filter(request -> request.unserved(serving.getOrDefault(request.requestId(), 0)) > 0).toList());
        assertThat(state.finishedRequests()).as("requests with nothing left in %s %s", cluster, when)
                .containsExactlyElementsOf(open.stream()
                        .filter(request -> request.unserved(0) == 0 && !serving.containsKey(request.requestId())).toList());
    }
}
