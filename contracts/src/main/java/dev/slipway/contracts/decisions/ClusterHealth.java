package dev.slipway.contracts.decisions;

/** Health as the scheduler sees it. */
public enum ClusterHealth {
    HEALTHY,
    /** TaskManagers keep failing; new ones are requested with back-off. */
    DEGRADED
}
