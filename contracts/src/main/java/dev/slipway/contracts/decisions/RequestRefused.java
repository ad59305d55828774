package dev.slipway.contracts.decisions;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

/** A request (or part of it) that the cluster's maximum or its tenant quota does not allow. */
public record RequestRefused(
        String eventId,
        String clusterId,
        Instant occurredAt,
        String causeEventId,
        String reason,
        String requestId,
        @JsonPropertyDescription("TaskManagers that were asked for") int requested,
        @JsonPropertyDescription("TaskManagers that were refused") int refused)
        implements Decision {

    public RequestRefused {
        Events.requireDecision(eventId, clusterId, occurredAt, causeEventId, reason);
        Objects.requireNonNull(requestId, "requestId");
    }
}
