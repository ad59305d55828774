package dev.slipway.indexer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One lifecycle event of a cluster as dashboards receive it: where it came from and the event as published. */
public record ClusterEvent(String clusterId, String topic, String type, String eventId, Instant occurredAt, JsonNode event) {
}
