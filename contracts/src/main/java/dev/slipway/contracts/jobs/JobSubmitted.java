package dev.slipway.contracts.jobs;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

public record JobSubmitted(
        String eventId,
        String clusterId,
        Instant occurredAt,
        String jobId,
        @JsonPropertyDescription("Job version; every submission is a new version") int version,
        String name,
        JobKind kind,
        int parallelism,
        @JsonPropertyDescription("Savepoint the job starts from, if any") String fromSavepoint)
        implements JobEvent {

    public JobSubmitted {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(kind, "kind");
    }
}
