package dev.slipway.submission.cluster;

public enum ClusterStatus {
    /** Created; no JobManager has been ready yet. */
    PROVISIONING,
    /** A JobManager is ready and the scheduler sees no crash loop. */
    RUNNING,
    /** The scheduler reports a crash loop, or the JobManager that was running is gone; the reason says which. */
    DEGRADED,
    DELETING,
    DELETED
}
