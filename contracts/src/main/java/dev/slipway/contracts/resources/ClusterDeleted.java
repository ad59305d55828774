package dev.slipway.contracts.resources;

import dev.slipway.contracts.Events;
import java.time.Instant;

/** The user deleted the cluster: every pod of it must go, and nothing new may be decided for it. */
public record ClusterDeleted(String eventId, String clusterId, Instant occurredAt, long generation)
        implements ClusterSpecEvent {

    public ClusterDeleted {
        Events.require(eventId, clusterId, occurredAt);
    }
}
