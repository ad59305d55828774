package dev.slipway.contracts.resources;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

/** The pod died or could not be created. The pod is gone (or will be deleted) after this fact. */
public record PodFailed(
        String eventId,
        String clusterId,
        Instant occurredAt,
        String podName,
        @JsonPropertyDescription("Short machine-readable reason: OOMKilled, ImagePullBackOff, Evicted, Error, Forbidden...") String reason,
        @JsonPropertyDescription("Container exit code, when there was one") Integer exitCode,
        @JsonPropertyDescription("What a person needs to know: the API's message or the last log lines") String message)
        implements PodFact {

    public PodFailed {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(podName, "podName");
        if (reason == null || reason.isBlank()) {
            reason = "Unknown";
        }
    }
}
