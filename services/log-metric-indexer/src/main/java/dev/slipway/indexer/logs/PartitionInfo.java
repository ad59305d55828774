package dev.slipway.indexer.logs;

import java.time.Instant;

/** One log partition as operators see it. */
public record PartitionInfo(String name, Instant start, Instant end, long records, long bytes) {
}
