package dev.slipway.contracts.jobs;

import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Objects;

public record SavepointCompleted(
        String eventId,
        String clusterId,
        Instant occurredAt,
        String jobId,
        int version,
        String flinkJobId,
        String savepointPath)
        implements JobEvent {

    public SavepointCompleted {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(savepointPath, "savepointPath");
    }
}
