package dev.slipway.contracts.decisions;

import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

/**
 * A warm (pre-created) TaskManager now serves a request, so the request is met without creating a
 * pod. Flink's resource manager learns from this which pod answers its request.
 */
public record PodAssigned(
        String eventId,
        String clusterId,
        Instant occurredAt,
        String causeEventId,
        String reason,
        String podName,
        String requestId)
        implements Decision {

    public PodAssigned {
        Events.requireDecision(eventId, clusterId, occurredAt, causeEventId, reason);
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(requestId, "requestId");
    }
}
