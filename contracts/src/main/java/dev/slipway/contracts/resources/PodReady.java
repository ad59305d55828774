package dev.slipway.contracts.resources;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

/** All containers of the pod are ready (locally: the process answers on its port). */
public record PodReady(
        String eventId,
        String clusterId,
        Instant occurredAt,
        String podName,
        PodRole role,
        String nodeName,
        @JsonPropertyDescription("host:port where the process is reached") String address)
        implements PodFact {

    public PodReady {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(role, "role");
    }
}
