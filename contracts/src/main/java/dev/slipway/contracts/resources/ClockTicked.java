package dev.slipway.contracts.resources;

import dev.slipway.contracts.Events;
import java.time.Instant;

/**
 * Time passing, written into the log by the scheduler for the clusters it owns, so timeouts are
 * decided from the log and a replay sees the same timeouts.
 */
public record ClockTicked(String eventId, String clusterId, Instant occurredAt) implements ResourceEvent {

    public ClockTicked {
        Events.require(eventId, clusterId, occurredAt);
    }
}
