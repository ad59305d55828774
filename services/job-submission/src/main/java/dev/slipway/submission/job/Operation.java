package dev.slipway.submission.job;

/** The action in progress on a job; the job reconciler carries it out against the cluster's JobManager. */
public enum Operation {
    NONE,
    /** Upload the version's jar and run it on the target cluster (once that cluster is RUNNING), from a savepoint or not. */
    SUBMIT,
    /** Cancel the Flink run; done when Flink reports it over. */
    CANCEL,
    /** Trigger a savepoint and wait for it; the run goes on. */
    SAVEPOINT,
    /** Stop the run with a savepoint; then, for a restart, rollback, upgrade or migration, submit from it. */
    STOP
}
