package dev.slipway.contracts.resources;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

/** Flink's resource manager asked for TaskManagers. The request id makes a retried request idempotent. */
public record ResourcesRequested(
        String eventId,
        String clusterId,
        Instant occurredAt,
        @JsonPropertyDescription("Chosen by the requester; a repeated id is the same request") String requestId,
        @JsonPropertyDescription("TaskManagers wanted") int count,
        @JsonPropertyDescription("Size of each TaskManager; null means the cluster's TaskManager size") ProcessSize taskManager)
        implements ResourceEvent {

    public ResourcesRequested {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(requestId, "requestId");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
    }
}
