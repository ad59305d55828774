package dev.slipway.contracts.resources;

import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

public record ClusterSpecCreated(String eventId, String clusterId, Instant occurredAt, long generation, ClusterSpec spec)
        implements ClusterSpecEvent {

    public ClusterSpecCreated {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(spec, "spec");
    }
}
