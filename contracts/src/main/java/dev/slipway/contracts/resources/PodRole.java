package dev.slipway.contracts.resources;

/** What a pod of a session cluster runs. */
public enum PodRole {
    JOB_MANAGER,
    TASK_MANAGER
}
