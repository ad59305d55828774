package dev.slipway.contracts.resources;

import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

/** Flink's resource manager no longer needs this TaskManager (it idled past Flink's timeout). */
public record ResourcesReleased(String eventId, String clusterId, Instant occurredAt, String podName, String reason)
        implements ResourceEvent {

    public ResourcesReleased {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(podName, "podName");
    }
}
