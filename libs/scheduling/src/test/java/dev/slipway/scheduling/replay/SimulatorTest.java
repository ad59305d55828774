package dev.slipway.scheduling.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.FailurePolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.resources.ResourcesReleased;
import dev.slipway.contracts.resources.ResourcesRequested;
import dev.slipway.scheduling.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated Flink: it uses warm TaskManagers first and asks again for the ones it loses. */
class SimulatorTest {

    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final String CLUSTER = "c1";

    private final List<ResourceEvent> demand = new ArrayList<>();

    private static ClusterSpec elastic(int warmPool) {
        return new ClusterSpec("orders", "team-a", ClusterMode.ELASTIC, "2.2.0", new ProcessSize(1, 1600, 0), 1,
                new ProcessSize(1, 1024, 0), 2, 0, new ElasticPolicy(warmPool, 10, 3600), 0,
                new FailurePolicy(120, 3, 10, 160), NetworkProfile.POD_NETWORK, Map.of());
    }

    private void add(ResourceEvent event) {
        demand.add(event);
    }

    private String id() {
        return "e" + demand.size();
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** A cluster with a warm pool (ready 5 s after creation) and one job of {@code count} at 60 s. */
    private void clusterWithAJob(int warmPool, int count) {
        add(new ClusterSpecCreated(id(), CLUSTER, at(0), 1, elastic(warmPool)));
        add(new ResourcesRequested(id(), CLUSTER, at(60), "r-1", count, null));
    }

    private void release(long t) {
        add(new ResourcesReleased(id(), CLUSTER, at(t), Simulator.REQUEST_POD + "r-1", "idle for 30 s"));
    }

    private Simulator.Result simulate() {
        return Simulator.run(demand, ProvisionerModel.DEFAULT, Policy.RECORDED);
    }

    private static List<ResourcesRequested> requests(Simulator.Result result) {
        return result.trace().stream().filter(ResourcesRequested.class::isInstance).map(ResourcesRequested.class::cast)
                .toList();
    }

    @Test
    void aJobUsesTheWarmTaskManagersFirstAndAsksOnlyForTheRest() {
        clusterWithAJob(2, 3);
        Simulator.Result result = simulate();
        assertThat(requests(result)).singleElement().satisfies(request -> {
            assertThat(request.requestId()).isEqualTo("r-1");
            assertThat(request.count()).isEqualTo(1);
        });
        ReplayReport report = result.report();
        assertThat(report.taskManagersFromWarm()).isEqualTo(2);
        assertThat(report.taskManagersServed()).isEqualTo(3);
        // Two ready at once, one a pod start later (1 s to create, 4 s to be ready).
        assertThat(report.requestToReadyP50Millis()).isZero();
        assertThat(report.requestToReadyP99Millis()).isEqualTo(5_000);
    }

    @Test
    void aJobTheWarmPoolCoversAsksForNothing() {
        clusterWithAJob(2, 2);
        Simulator.Result result = simulate();
        assertThat(requests(result)).isEmpty();
        assertThat(result.report().taskManagersFromWarm()).isEqualTo(2);
        assertThat(result.report().unanswered()).isZero();
    }

    @Test
    void aTaskManagerLostWhileTheJobNeedsItIsAskedForAgainUnderANewId() {
        clusterWithAJob(0, 2);
        add(new PodFailed(id(), CLUSTER, at(100), Simulator.REQUEST_POD + "r-1", "OOMKilled", 137, "killed"));
        Simulator.Result result = simulate();
        assertThat(requests(result)).extracting(ResourcesRequested::requestId, ResourcesRequested::count,
                ResourcesRequested::occurredAt).containsExactly(
                        tuple("r-1", 2, at(60)), tuple("r-1#2", 1, at(100)));
        assertThat(result.report().taskManagersServed()).isEqualTo(3);
        assertThat(result.report().unanswered()).isZero();
    }

    @Test
    void aLostWarmTaskManagerIsReplacedFromTheWarmPoolWhenItCan() {
        // Pool 2, a job of 1 takes one warm pod; when it fails Flink takes the other warm one instead of asking.
        clusterWithAJob(2, 1);
        add(new PodFailed(id(), CLUSTER, at(100), Simulator.REQUEST_POD + "r-1", "OOMKilled", 137, "killed"));
        Simulator.Result result = simulate();
        assertThat(requests(result)).isEmpty();
        assertThat(result.report().taskManagersFromWarm()).isEqualTo(2);
    }

    @Test
    void nothingIsAskedForOnceTheDemandIsOver() {
        clusterWithAJob(0, 1);
        release(100);
        // The job is over: a later failure finds no TaskManager of it and asks for nothing.
        add(new PodFailed(id(), CLUSTER, at(200), Simulator.REQUEST_POD + "r-1", "OOMKilled", 137, "killed"));
        Simulator.Result result = simulate();
        assertThat(requests(result)).hasSize(1);
        assertThat(result.trace()).filteredOn(ResourcesReleased.class::isInstance).singleElement()
                .extracting(event -> ((ResourcesReleased) event).podName()).isEqualTo("c1-tm-0");
        assertThat(result.trace()).noneMatch(event -> event instanceof PodFailed failed && failed.occurredAt().equals(at(200)));
    }

    @Test
    void aReleaseBeforeTheTaskManagerIsReadyStopsIt() {
        clusterWithAJob(0, 1);
        release(62); // the pod is ready at 65 s
        Simulator.Result result = simulate();
        assertThat(result.trace()).filteredOn(ResourcesReleased.class::isInstance).singleElement()
                .extracting(event -> ((ResourcesReleased) event).podName()).isEqualTo("c1-tm-0");
        assertThat(result.report().taskManagersServed()).isZero();
        assertThat(result.report().unanswered()).as("the slot ended with its pod").isZero();
        assertThat(requests(result)).hasSize(1);
    }
}
