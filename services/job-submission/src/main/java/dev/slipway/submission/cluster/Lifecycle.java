package dev.slipway.submission.cluster;

/** What the user did with a cluster; the status adds what its pods do. */
public enum Lifecycle {
    ACTIVE,
    /** ClusterDeleted is published; pods are still going. */
    DELETING,
    /** Deleted and no pod of it is known to live. */
    DELETED
}
