package dev.slipway.contracts.telemetry;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.Events;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** One value of one metric, e.g. numRecordsInPerSecond of a task, or lastCheckpointDuration of a job. */
public record MetricSample(
        String eventId,
        String clusterId,
        Instant occurredAt,
        @JsonPropertyDescription("Flink metric name, e.g. lastCheckpointDuration") String name,
        @JsonPropertyDescription("Scope tags: job, task, subtask, taskmanager, pod") Map<String, String> tags,
        double value)
        implements TelemetryEvent {

    public MetricSample {
        Events.require(eventId, clusterId, occurredAt);
        Objects.requireNonNull(name, "name");
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
    }
}
