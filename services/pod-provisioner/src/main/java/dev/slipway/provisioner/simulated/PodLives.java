package dev.slipway.provisioner.simulated;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Draws a pod's life when it is created, from the settings' distributions and the one seeded generator:
 * <ul>
 * <li>its ready delay: log-normal, fixed by the median and the 99th percentile (start-up times are skewed: most pods are
 * quick, a few wait long for an image or a node);</li>
 * <li>with the start-failure probability, a failure instead of readiness at that moment, half of them
 * {@code ImagePullBackOff}, half {@code CrashLoopBackOff};</li>
 * <li>for a pod that becomes ready, OOM kills and evictions as two Poisson processes with their rates per pod-hour: each
 * draws an exponential time to its first event, and the earlier one, if any, ends the pod.</li>
 * </ul>
 * Not thread-safe: the backend draws under its lock, which also keeps the draws in the order of the decisions.
 */
final class PodLives {

    /** The standard normal quantile of 0.99: p99 = median * exp(sigma * Z99). */
    static final double Z99 = 2.3263478740408408;
    private static final double NANOS_PER_HOUR = 3600e9;
    /** A Poisson event further away than this never happens in a simulation (and stays within Instant's range). */
    private static final double MAX_HOURS = 24 * 365 * 100;

    private final SimulationSettings settings;
    private final RandomGenerator random;
    private final double sigma;

    PodLives(SimulationSettings settings, RandomGenerator random) {
        this.settings = settings;
        this.random = random;
        double median = settings.readyDelayMedian().toNanos();
        double p99 = settings.readyDelayP99().toNanos();
        this.sigma = median <= 0 || p99 <= median ? 0 : Math.log(p99 / median) / Z99;
    }

    /** What happens to a pod after it was created at {@code created}. */
    Life draw(Instant created) {
        Instant ready = created.plus(readyDelay());
        if (random.nextDouble() < settings.startFailureProbability()) {
            return new Life(null, random.nextBoolean() ? imagePullBackOff(ready) : crashLoopBackOff(ready));
        }
        Instant oom = after(ready, settings.oomKillsPerPodHour());
        Instant eviction = after(ready, settings.evictionsPerPodHour());
        if (oom != null && (eviction == null || oom.isBefore(eviction))) {
            return new Life(ready, new SimulatedPod.Failure(oom, "OOMKilled", 137,
                    "simulated: the container exceeded its memory limit and was killed"));
        }
        if (eviction != null) {
            return new Life(ready, new SimulatedPod.Failure(eviction, "Evicted", null,
                    "simulated: The node was low on resource: memory."));
        }
        return new Life(ready, null);
    }

    Duration readyDelay() {
        double median = settings.readyDelayMedian().toNanos();
        return Duration.ofNanos(Math.round(median * Math.exp(sigma * random.nextGaussian())));
    }

    /** The first event of a Poisson process of this rate per hour after {@code start}, or null for none. */
    private Instant after(Instant start, double perHour) {
        if (perHour <= 0) {
            return null;
        }
        double hours = random.nextExponential() / perHour;
        return hours > MAX_HOURS ? null : start.plusNanos(Math.round(hours * NANOS_PER_HOUR));
    }

    private static SimulatedPod.Failure imagePullBackOff(Instant at) {
        return new SimulatedPod.Failure(at, "ImagePullBackOff", null, "simulated: Back-off pulling the image");
    }

    private static SimulatedPod.Failure crashLoopBackOff(Instant at) {
        return new SimulatedPod.Failure(at, "CrashLoopBackOff", 1,
                "simulated: back-off restarting the failed container (exit code 1 before it was ready)");
    }

    /** When a pod is ready (null if it fails first) and how it ends (null if it runs until deleted). */
    record Life(Instant readyAt, SimulatedPod.Failure failure) {
    }
}
