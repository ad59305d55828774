package dev.slipway.contracts.jobs;

public enum JobStatus {
    SUBMITTED,
    RUNNING,
    FAILING,
    FAILED,
    FINISHED,
    CANCELED;

    public boolean terminal() {
        return this == FAILED || this == FINISHED || this == CANCELED;
    }
}
