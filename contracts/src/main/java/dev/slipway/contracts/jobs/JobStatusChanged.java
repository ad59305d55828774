package dev.slipway.contracts.jobs;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

public record JobStatusChanged(
        String eventId,
        String clusterId,
        Instant occurredAt,
        String jobId,
        int version,
        @JsonPropertyDescription("Flink's job id once Flink accepted the job") String flinkJobId,
        JobStatus status,
        @JsonPropertyDescription("Flink's failure cause for FAILING and FAILED") String failureCause)
        implements JobEvent {

    public JobStatusChanged {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(status, "status");
    }
}
