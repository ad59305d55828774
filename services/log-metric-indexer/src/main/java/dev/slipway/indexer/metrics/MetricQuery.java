package dev.slipway.indexer.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** One metric by name, optionally narrowed by cluster and tags, over [from, to) in buckets of {@code step}. */
public record MetricQuery(String name, String clusterId, Map<String, String> tags, Instant from, Instant to, Duration step) {

    public MetricQuery {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
