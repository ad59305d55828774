package dev.slipway.indexer.rest;

import dev.slipway.indexer.metrics.MetricSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A metric query's answer: the range and step used, and one entry per series. */
public record MetricAnswer(String name, Instant from, Instant to, Duration step, List<MetricSeries> series) {
}
