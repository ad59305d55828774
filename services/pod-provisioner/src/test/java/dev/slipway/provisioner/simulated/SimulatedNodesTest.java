package dev.slipway.provisioner.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.decisions.Placement;
import dev.slipway.contracts.resources.PodRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where pods go: a cluster's TaskManagers spread over the nodes, everything else to the least loaded, none past full. */
class SimulatedNodesTest {

    private static Placement spread(String clusterId) {
        return new Placement(clusterId, Placement.HOSTNAME_TOPOLOGY_KEY, 1, Map.of());
    }

    private static String place(SimulatedNodes nodes, String clusterId, PodRole role) {
        return nodes.place(clusterId, role, spread(clusterId)).orElseThrow().node();
    }

    @Test
    void aClustersTaskManagersSpreadOverTheNodes() {
        SimulatedNodes nodes = new SimulatedNodes(4, 10);
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            placed.add(place(nodes, "a", PodRole.TASK_MANAGER));
        }
        assertThat(placed).containsExactly("sim-node-0000", "sim-node-0001", "sim-node-0002", "sim-node-0003",
                "sim-node-0000", "sim-node-0001", "sim-node-0002", "sim-node-0003");
    }

    @Test
    void spreadingComesBeforeLoadAndLoadBeforeOrder() {
        SimulatedNodes nodes = new SimulatedNodes(4, 10);
        for (int i = 0; i < 8; i++) {
            place(nodes, "a", PodRole.TASK_MANAGER); // two on each node
        }
        // JobManagers are not spread: the least loaded node, the first of equals.
        assertThat(place(nodes, "b", PodRole.JOB_MANAGER)).isEqualTo("sim-node-0000");
        assertThat(place(nodes, "b", PodRole.JOB_MANAGER)).isEqualTo("sim-node-0001");
        assertThat(place(nodes, "b", PodRole.JOB_MANAGER)).isEqualTo("sim-node-0002");
        // Cluster c has no TaskManager yet: the least loaded node.
        assertThat(place(nodes, "c", PodRole.TASK_MANAGER)).isEqualTo("sim-node-0003");
        // Its second goes where it has none, though sim-node-0003 is now as loaded as the others.
        assertThat(place(nodes, "c", PodRole.TASK_MANAGER)).isEqualTo("sim-node-0000");
    }

    @Test
    void anotherTopologyKeyPlacesByLoadAlone() {
        SimulatedNodes nodes = new SimulatedNodes(2, 10);
        Placement zones = new Placement("a", "topology.kubernetes.io/zone", 1, Map.of());
        assertThat(nodes.place("a", PodRole.TASK_MANAGER, zones).orElseThrow().node()).isEqualTo("sim-node-0000");
        assertThat(nodes.place("b", PodRole.JOB_MANAGER, spread("b")).orElseThrow().node()).isEqualTo("sim-node-0001");
    }

    @Test
    void aFullFleetHasNoRoomUntilAPodLeaves() {
        SimulatedNodes nodes = new SimulatedNodes(2, 2);
        List<SimulatedNodes.Seat> seats = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seats.add(nodes.place("a", PodRole.TASK_MANAGER, spread("a")).orElseThrow());
        }
        assertThat(seats).extracting(SimulatedNodes.Seat::slot).containsExactly(0, 0, 1, 1);
        assertThat(nodes.place("a", PodRole.TASK_MANAGER, spread("a"))).isEmpty();

        nodes.release(pod("a", seats.get(1)));

        assertThat(nodes.place("b", PodRole.JOB_MANAGER, spread("b"))).contains(seats.get(1));
    }

    @Test
    void aPodFoundOnDiskTakesItsSlotOnceAndOnlyOnAConfiguredNode() {
        SimulatedNodes nodes = new SimulatedNodes(2, 2);
        SimulatedNodes.Seat seat = new SimulatedNodes.Seat("sim-node-0001", 1);
        assertThat(nodes.occupy(pod("a", seat))).isTrue();
        assertThat(nodes.occupy(pod("a", seat))).as("the slot is taken").isFalse();
        assertThat(nodes.occupy(pod("a", new SimulatedNodes.Seat("sim-node-0009", 0)))).as("no such node").isFalse();
        assertThat(nodes.load("sim-node-0001")).isEqualTo(1);
    }

    private static SimulatedPod pod(String clusterId, SimulatedNodes.Seat seat) {
        return new SimulatedPod(clusterId, clusterId + "-tm-" + seat.node() + "-" + seat.slot(), PodRole.TASK_MANAGER, null,
                seat.node(), seat.slot(), ManualTime.START, ManualTime.START, null, null, false);
    }
}
