package dev.slipway.contracts.telemetry;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.slipway.contracts.SlipwayEvent;

/** Logs ({@code slipway.logs.v1}) and metrics ({@code slipway.metrics.v1}) of Flink processes. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LogRecord.class, name = "LogRecord"),
        @JsonSubTypes.Type(value = MetricSample.class, name = "MetricSample")
})
public sealed interface TelemetryEvent extends SlipwayEvent permits LogRecord, MetricSample {
}
