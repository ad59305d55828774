package dev.slipway.scheduling.replay;

import java.time.Instant;
import java.util.Set;

/**
 * How a simulated provisioner behaves: a pod exists {@code createMillis} after its decision and is
 * ready {@code readyMillis} after it; a deletion takes {@code deleteMillis}. Pods of crash-looping
 * clusters decided before {@code crashLoopUntil} fail (OOMKilled) instead of becoming ready.
 */
public record ProvisionerModel(
        long createMillis,
        long readyMillis,
        long deleteMillis,
        int nodes,
        Set<String> crashLoopingClusters,
        Instant crashLoopUntil) {

    /** Seconds-scale pod start, as measured for TaskManager processes here (about 3 s to register). */
    public static final ProvisionerModel DEFAULT = new ProvisionerModel(1_000, 4_000, 1_000, 8, Set.of(), null);

    public ProvisionerModel {
        crashLoopingClusters = Set.copyOf(crashLoopingClusters);
        if (nodes < 1) {
            nodes = 1;
        }
    }

    boolean fails(String clusterId, Instant decidedAt) {
        return crashLoopUntil != null && decidedAt.isBefore(crashLoopUntil) && crashLoopingClusters.contains(clusterId);
    }

    String node(String podName) {
        return "node-" + Math.floorMod(podName.hashCode(), nodes);
    }
}
