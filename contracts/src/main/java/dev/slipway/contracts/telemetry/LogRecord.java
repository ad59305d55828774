package dev.slipway.contracts.telemetry;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.Events;
import dev.slipway.contracts.resources.PodRole;
import java.time.Instant;
import java.util.Objects;

/**
 * One log event of a JobManager or TaskManager; a multi-line stack trace is one record. The event id
 * is derived from file and offset, so a re-shipped line is recognisably the same line.
 */
public record LogRecord(
        String eventId,
        String clusterId,
        @JsonPropertyDescription("The time in the log line") Instant occurredAt,
        String podName,
        PodRole role,
        @JsonPropertyDescription("Platform job id, where known") String jobId,
        String level,
        String logger,
        String thread,
        String message,
        @JsonPropertyDescription("Log file the record was read from") String file,
        @JsonPropertyDescription("Byte offset of the record's first line in that file") long offset)
        implements TelemetryEvent {

    public LogRecord {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(message, "message");
        if (level == null || level.isBlank()) {
            level = "INFO";
        }
    }
}
