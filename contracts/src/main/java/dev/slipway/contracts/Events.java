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
}
