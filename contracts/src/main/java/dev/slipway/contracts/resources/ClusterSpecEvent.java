package dev.slipway.contracts.resources;

/** A cluster's spec came, changed or went. */
public sealed interface ClusterSpecEvent extends ResourceEvent
        permits ClusterSpecCreated, ClusterSpecChanged, ClusterDeleted {

    /** Increases with every change of the cluster; an event with an older generation is stale. */
    long generation();
}
