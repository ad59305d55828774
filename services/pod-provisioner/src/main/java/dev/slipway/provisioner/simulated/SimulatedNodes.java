package dev.slipway.provisioner.simulated;

import dev.slipway.contracts.decisions.Placement;
import dev.slipway.contracts.resources.PodRole;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated nodes and which of their pod slots are taken. A pod goes to the node with room that has the fewest of its
 * cluster's TaskManagers (the decision's topology spread over {@code kubernetes.io/hostname}, which the Kubernetes backend
 * asks for with {@code ScheduleAnyway}, so a preference, never a refusal), then the least loaded, then the first. Other
 * topology keys have no meaning here (simulated nodes have no zones) and place by load alone. Choosing the fewest keeps a
 * cluster's skew at 1 while nodes have room, so every {@code maxSkew} is honoured without reading it. The counts are this
 * instance's own, starting pods included, rather than the decision's {@code taskManagersPerNode} (ready ones only, and as
 * of when the scheduler decided). Not thread-safe: the backend calls it under its lock.
 */
final class SimulatedNodes {

    private final String[] names;
    private final Map<String, Integer> indexByName = new HashMap<>();
    private final BitSet[] slots;
    /** Taken slots per node, the cardinality of its bit set, kept apart because placing reads it for every node. */
    private final int[] loads;
    private final int podsPerNode;
    /** Per cluster, its TaskManagers on each node (by node index); a cluster without TaskManagers has no entry. */
    private final Map<String, int[]> taskManagers = new HashMap<>();

    SimulatedNodes(int nodes, int podsPerNode) {
        this.podsPerNode = podsPerNode;
        this.names = new String[nodes];
        this.slots = new BitSet[nodes];
        this.loads = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            names[i] = name(i);
            indexByName.put(names[i], i);
            slots[i] = new BitSet(podsPerNode);
        }
    }

    static String name(int index) {
        return String.format("sim-node-%04d", index);
    }

    /** A free slot for the pod, or empty when every node is full. */
    Optional<Seat> place(String clusterId, PodRole role, Placement placement) {
        int[] spread = role == PodRole.TASK_MANAGER && Placement.HOSTNAME_TOPOLOGY_KEY.equals(placement.topologyKey())
                ? taskManagers.get(clusterId) : null;
        int best = -1;
        for (int i = 0; i < names.length; i++) {
            if (loads[i] < podsPerNode && (best < 0 || better(i, best, spread))) {
                best = i;
            }
        }
        if (best < 0) {
            return Optional.empty();
        }
        int slot = slots[best].nextClearBit(0);
        take(best, slot, clusterId, role);
        return Optional.of(new Seat(names[best], slot));
    }

    private boolean better(int candidate, int best, int[] spread) {
        if (spread != null && spread[candidate] != spread[best]) {
            return spread[candidate] < spread[best];
        }
        return loads[candidate] < loads[best];
    }

    /**
     * Takes the slot a pod found on disk holds. False when it cannot (its node is not configured any more, or another pod
     * holds the slot already: two instances placed on their own views at once): the pod runs on, but is not counted.
     */
    boolean occupy(SimulatedPod pod) {
        Integer node = indexByName.get(pod.node());
        if (node == null || pod.slot() < 0 || pod.slot() >= podsPerNode || slots[node].get(pod.slot())) {
            return false;
        }
        take(node, pod.slot(), pod.clusterId(), pod.role());
        return true;
    }

    /** Frees the slot of a pod that failed or is gone (a terminated pod holds no room on a node, as in Kubernetes). */
    void release(SimulatedPod pod) {
        Integer node = indexByName.get(pod.node());
        if (node == null || !slots[node].get(pod.slot())) {
            return;
        }
        slots[node].clear(pod.slot());
        loads[node]--;
        if (pod.role() == PodRole.TASK_MANAGER) {
            int[] counts = taskManagers.get(pod.clusterId());
            if (counts != null && --counts[node] == 0 && empty(counts)) {
                taskManagers.remove(pod.clusterId());
            }
        }
    }

    /** Pods on the named node now. */
    int load(String node) {
        Integer index = indexByName.get(node);
        return index == null ? 0 : loads[index];
    }

    private void take(int node, int slot, String clusterId, PodRole role) {
        slots[node].set(slot);
        loads[node]++;
        if (role == PodRole.TASK_MANAGER) {
            taskManagers.computeIfAbsent(clusterId, id -> new int[names.length])[node]++;
        }
    }

    private static boolean empty(int[] counts) {
        for (int count : counts) {
            if (count != 0) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return names.length;
    }

    record Seat(String node, int slot) {
    }
}
