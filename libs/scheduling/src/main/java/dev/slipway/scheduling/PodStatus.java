package dev.slipway.scheduling;

/** Where a pod is in its life, as the scheduler knows it. */
public enum PodStatus {
    /** Decided (ProvisionPod published), no fact yet. */
    PENDING,
    /** The provisioner created it. */
    CREATED,
    /** Ready: the TaskManager can register, the JobManager serves. */
    READY,
    /** Deletion decided; it stays in the state until the PodDeleted fact. */
    TERMINATING;

    public boolean live() {
        return this != TERMINATING;
    }
}
