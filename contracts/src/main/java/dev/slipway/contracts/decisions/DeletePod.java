package dev.slipway.contracts.decisions;

import dev.slipway.contracts.Events;
import dev.slipway.contracts.resources.PodRole;
import java.time.Instant;
import java.util.Objects;

/** Delete this pod. Deleting a pod that is already gone is a no-op. */
public record DeletePod(
        String eventId,
        String clusterId,
        Instant occurredAt,
        String causeEventId,
        String reason,
        String podName,
        PodRole role)
        implements Decision {

    public DeletePod {
        Events.requireDecision(eventId, clusterId, occurredAt, causeEventId, reason);
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(role, "role");
    }
}
