package dev.slipway.contracts.resources;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

public record PodCreated(
        String eventId,
        String clusterId,
        Instant occurredAt,
        String podName,
        PodRole role,
        @JsonPropertyDescription("The request the pod serves; null for warm-pool, static and JobManager pods") String requestId,
        @JsonPropertyDescription("Node the pod was scheduled to, when known") String nodeName)
        implements PodFact {

    public PodCreated {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(role, "role");
    }
}
