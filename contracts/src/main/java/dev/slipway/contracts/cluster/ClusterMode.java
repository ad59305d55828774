package dev.slipway.contracts.cluster;

/** How a session cluster gets its TaskManagers. */
public enum ClusterMode {
    /** A fixed number of TaskManagers, replaced when they fail. */
    STATIC,
    /** TaskManagers on demand from Flink's resource manager, with an optional warm pool. */
    ELASTIC
}
