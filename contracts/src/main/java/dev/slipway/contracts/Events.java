package dev.slipway.contracts;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Checks shared by every event record's constructor. */
public final class Events {

    private Events() {
    }

    public static void require(String eventId, String clusterId, Instant occurredAt) {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    /**
     * The same id for the same parts, always: a name-based UUID of the parts joined by '|'. Used where
     * a retry or a replay must produce the very same event (decisions, REST-appended requests).
     */
    public static String deterministicId(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("|", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** What every decision has beyond an event's fields: its cause and its reason. */
    public static void requireDecision(String eventId, String clusterId, Instant occurredAt, String causeEventId, String reason) {
        require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(causeEventId, "causeEventId");
        Objects.requireNonNull(reason, "reason");
    }
}
