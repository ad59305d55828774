package dev.slipway.scheduler.loop;

import dev.slipway.scheduling.ClusterSnapshot;

/**
 * A value on {@code slipway.scheduler-snapshots.v1}. Keyed by cluster id it holds that cluster's state
 * as of {@code offset} of its resources partition; keyed {@code partition-<n>} (no cluster) it marks
 * that every cluster of partition n that changed before {@code offset} has a snapshot as of then, so a
 * rebuild restores them all and replays from {@code offset}.
 */
public record SnapshotRecord(int partition, long offset, ClusterSnapshot cluster) {

    static String markerKey(int partition) {
        return "partition-" + partition;
    }

    /** The record's key on the topic (before the consumer group's prefix): its cluster's id, or its partition's marker key. */
    String key() {
        return cluster == null ? markerKey(partition) : cluster.clusterId();
    }
}
