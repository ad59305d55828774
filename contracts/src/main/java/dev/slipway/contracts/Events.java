package dev.slipway.contracts;

import java.time.Instant;
import java.util.Objects;

/** Checks shared by every event record's constructor. */
public final class Events {

    private Events() {
    }

    public static void require(String eventId, String clusterId, Instant occurredAt) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    /** What every decision has beyond an event's fields: its cause and its reason. */
    public static void requireDecision(String eventId, String clusterId, Instant occurredAt, String causeEventId, String reason) {
        require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(causeEventId, "causeEventId");
        Objects.requireNonNull(reason, "reason");
    }
}
