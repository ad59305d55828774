package dev.slipway.contracts.cluster;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The knobs of an ELASTIC cluster's TaskManager count. */
public record ElasticPolicy(
        @JsonPropertyDescription("TaskManagers kept created and idle for fast submission") int warmPool,
        @JsonPropertyDescription("Upper bound of TaskManagers of this cluster") int maxTaskManagers,
        @JsonPropertyDescription("Seconds an idle warm TaskManager beyond the pool may live") long idleTimeoutSeconds) {

    public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 300;

    public ElasticPolicy {
        if (warmPool < 0) {
            throw new IllegalArgumentException("warmPool must not be negative, was " + warmPool);
        }
        if (maxTaskManagers < 1) {
            throw new IllegalArgumentException("maxTaskManagers must be at least 1, was " + maxTaskManagers);
        }
        if (warmPool > maxTaskManagers) {
            throw new IllegalArgumentException("warmPool " + warmPool + " exceeds maxTaskManagers " + maxTaskManagers);
        }
        if (idleTimeoutSeconds <= 0) {
            idleTimeoutSeconds = DEFAULT_IDLE_TIMEOUT_SECONDS;
        }
    }
}
