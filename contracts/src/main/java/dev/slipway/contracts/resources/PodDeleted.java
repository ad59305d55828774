package dev.slipway.contracts.resources;

import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

public record PodDeleted(String eventId, String clusterId, Instant occurredAt, String podName) implements PodFact {

    public PodDeleted {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(podName, "podName");
    }
}
