package dev.slipway.indexer.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One series of a query answer: its cluster and tags and one point per non-empty bucket, oldest first. */
public record MetricSeries(String clusterId, Map<String, String> tags, List<Point> points) {

    /** A bucket starting at {@code time}: min, max, average and how many samples it summarises. */
    public record Point(Instant time, double min, double max, double avg, long count) {
    }
}
