package dev.slipway.contracts.decisions;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

/** The cluster became DEGRADED (crash loop) or HEALTHY again. */
public record ClusterHealthChanged(
        String eventId,
        String clusterId,
        Instant occurredAt,
        String causeEventId,
        String reason,
        ClusterHealth health,
        @JsonPropertyDescription("The last pod failure, when degraded") String lastFailure)
        implements Decision {

    public ClusterHealthChanged {
        Events.requireDecision(eventId, clusterId, occurredAt, causeEventId, reason);
        Objects.requireNonNull(health, "health");
    }
}
