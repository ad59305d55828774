package dev.slipway.contracts.jobs;

public enum JobStatus {
    SUBMITTED,
    RUNNING,
    /** The run is alive in Flink's high-availability store while its cluster's JobManager is replaced or re-elected. */
    RECOVERING,
    FAILING,
    FAILED,
    FINISHED,
    CANCELED;

    public boolean terminal() {
        return this == FAILED || this == FINISHED || this == CANCELED;
    }
}
