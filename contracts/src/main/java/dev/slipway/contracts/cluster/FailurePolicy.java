package dev.slipway.contracts.cluster;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * How the scheduler treats pods that do not start or keep failing. Flink re-requests a failed worker
 * at once, so without a back-off a crash loop forks pods as fast as they die.
 */
public record FailurePolicy(
        @JsonPropertyDescription("Seconds a pod may take from creation to ready before it is replaced") long startTimeoutSeconds,
        @JsonPropertyDescription("Consecutive failures after which the cluster is DEGRADED and back-off applies") int crashLoopThreshold,
        @JsonPropertyDescription("First back-off delay in seconds; doubles with each further failure") long initialBackoffSeconds,
        @JsonPropertyDescription("Longest back-off delay in seconds") long maxBackoffSeconds) {

    public static final FailurePolicy DEFAULT = new FailurePolicy(300, 3, 10, 300);

    public FailurePolicy {
        if (startTimeoutSeconds <= 0) {
            startTimeoutSeconds = 300;
        }
        if (crashLoopThreshold <= 0) {
            crashLoopThreshold = 3;
        }
        if (initialBackoffSeconds <= 0) {
            initialBackoffSeconds = 10;
        }
        if (maxBackoffSeconds < initialBackoffSeconds) {
            maxBackoffSeconds = Math.max(300, initialBackoffSeconds);
        }
    }
}
