package dev.slipway.provisioner.simulated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated fleet behaves.
 *
 * @param root each pod's state is {@code <root>/<cluster>/<pod>.json}; provisioner instances that share it share the pods
 * @param nodes how many simulated nodes there are
 * @param podsPerNode how many pods fit on one node (pods, not CPU or memory: the simulation counts Kubernetes' pod limit)
 * @param readyDelayMedian half the pods are ready sooner than this after their creation
 * @param readyDelayP99 99 in 100 pods are ready sooner than this; with the median it fixes a log-normal distribution
 * @param startFailureProbability the share of pods (0 to 1) that fail instead of becoming ready
 * @param oomKillsPerPodHour how often a ready pod is OOM-killed, per hour it runs (a Poisson process; 0: never)
 * @param evictionsPerPodHour how often a ready pod is evicted, per hour it runs (0: never)
 * @param terminationDelay how long a deleted pod takes to be gone
 * @param seed of the one random generator: the same decisions in the same order draw the same lives
 */
public record SimulationSettings(Path root, int nodes, int podsPerNode, Duration readyDelayMedian, Duration readyDelayP99,
        double startFailureProbability, double oomKillsPerPodHour, double evictionsPerPodHour, Duration terminationDelay,
        long seed) {

    public SimulationSettings {
        Objects.requireNonNull(root, "root");
        require(nodes >= 1, "nodes must be at least 1, not " + nodes);
        require(podsPerNode >= 1, "pods-per-node must be at least 1, not " + podsPerNode);
        require(!readyDelayMedian.isNegative(), "ready-delay-median must not be negative");
        require(readyDelayP99.compareTo(readyDelayMedian) >= 0, "ready-delay-p99 must not be below ready-delay-median");
        require(startFailureProbability >= 0 && startFailureProbability <= 1,
                "start-failure-probability is a share of pods, between 0 and 1, not " + startFailureProbability);
        require(oomKillsPerPodHour >= 0, "oom-kills-per-pod-hour must not be negative");
        require(evictionsPerPodHour >= 0, "evictions-per-pod-hour must not be negative");
        require(!terminationDelay.isNegative(), "termination-delay must not be negative");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("slipway.provisioner.simulated: " + message);
        }
    }
}
