package dev.slipway.scheduling;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.FailurePolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Overrides of the scheduling knobs that a cluster spec sets, for what-if replays ("what if the idle
 * timeout were 60 s?"). A null field keeps the recorded value; {@link #RECORDED} keeps them all.
 */
public record Policy(
        Integer warmPool,
        Long idleTimeoutSeconds,
        Integer maxTaskManagers,
        Long startTimeoutSeconds,
        Integer crashLoopThreshold,
        Long initialBackoffSeconds) {

    public static final Policy RECORDED = new Policy(null, null, null, null, null, null);

    public Policy withWarmPool(int value) {
        return new Policy(value, idleTimeoutSeconds, maxTaskManagers, startTimeoutSeconds, crashLoopThreshold, initialBackoffSeconds);
    }

    public Policy withIdleTimeoutSeconds(long value) {
        return new Policy(warmPool, value, maxTaskManagers, startTimeoutSeconds, crashLoopThreshold, initialBackoffSeconds);
    }

    public Policy withMaxTaskManagers(int value) {
        return new Policy(warmPool, idleTimeoutSeconds, value, startTimeoutSeconds, crashLoopThreshold, initialBackoffSeconds);
    }

    public boolean recorded() {
        return equals(RECORDED);
    }

    /** The spec the scheduler acts on under this policy. */
    public ClusterSpec apply(ClusterSpec spec) {
        if (recorded()) {
            return spec;
        }
        ElasticPolicy elastic = spec.elastic();
        if (spec.mode() == ClusterMode.ELASTIC && elastic != null) {
            int max = maxTaskManagers != null ? maxTaskManagers : elastic.maxTaskManagers();
            int warm = Math.min(max, warmPool != null ? warmPool : elastic.warmPool());
            long idle = idleTimeoutSeconds != null ? idleTimeoutSeconds : elastic.idleTimeoutSeconds();
            elastic = new ElasticPolicy(warm, max, idle);
        }
        FailurePolicy failures = spec.failures();
        failures = new FailurePolicy(
                startTimeoutSeconds != null ? startTimeoutSeconds : failures.startTimeoutSeconds(),
                crashLoopThreshold != null ? crashLoopThreshold : failures.crashLoopThreshold(),
                initialBackoffSeconds != null ? initialBackoffSeconds : failures.initialBackoffSeconds(),
                failures.maxBackoffSeconds());
        return new ClusterSpec(spec.name(), spec.tenant(), spec.mode(), spec.flinkVersion(), spec.jobManager(),
                spec.jobManagerReplicas(), spec.taskManager(), spec.slotsPerTaskManager(), spec.staticTaskManagers(),
                elastic, spec.tenantQuotaTaskManagers(), failures, spec.network(), spec.flinkConfiguration(), spec.highAvailability());
    }

    /** "warm pool 0, idle timeout 60 s", or "as recorded". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (warmPool != null) {
            parts.add("warm pool " + warmPool);
        }
        if (idleTimeoutSeconds != null) {
            parts.add("idle timeout " + idleTimeoutSeconds + " s");
        }
        if (maxTaskManagers != null) {
            parts.add("max TaskManagers " + maxTaskManagers);
        }
        if (startTimeoutSeconds != null) {
            parts.add("start timeout " + startTimeoutSeconds + " s");
        }
        if (crashLoopThreshold != null) {
            parts.add("crash-loop threshold " + crashLoopThreshold);
        }
        if (initialBackoffSeconds != null) {
            parts.add("initial back-off " + initialBackoffSeconds + " s");
        }
        return parts.isEmpty() ? "as recorded" : String.join(", ", parts);
    }
}
