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
        @JsonPropertyDescription("Flink's failure cause for FAILING and FAILED") String failureCause,
        @JsonPropertyDescription("Why the job is in this status when the platform knows more than Flink said: a JobManager being"
                + " replaced (RECOVERING), the checkpoint a recovery or automatic restart started from, why a lost run was not"
                + " restarted") String reason)
        implements JobEvent {

    /** A change Flink's own state says enough about. */
    public JobStatusChanged(String eventId, String clusterId, Instant occurredAt, String jobId, int version, String flinkJobId,
            JobStatus status, String failureCause) {
        this(eventId, clusterId, occurredAt, jobId, version, flinkJobId, status, failureCause, null);
    }

    public JobStatusChanged {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(status, "status");
    }
}
