package dev.slipway.submission.job;

import dev.slipway.contracts.jobs.JobStatus;
import java.util.Optional;

/** Flink's job states (REST {@code GET /jobs/:jobid}, field {@code state}) as the platform's job status. */
public final class FlinkStates {

    private FlinkStates() {
    }

    /** Empty for states that change nothing: CANCELLING (the end comes as CANCELED) and unknown ones. */
    public static Optional<JobStatus> of(String flinkState) {
        if (flinkState == null) {
            return Optional.empty();
        }
        return switch (flinkState) {
            case "INITIALIZING", "CREATED", "RECONCILING" -> Optional.of(JobStatus.SUBMITTED);
            case "RUNNING" -> Optional.of(JobStatus.RUNNING);
            case "FAILING", "RESTARTING", "SUSPENDED" -> Optional.of(JobStatus.FAILING);
            case "FAILED" -> Optional.of(JobStatus.FAILED);
            case "CANCELED" -> Optional.of(JobStatus.CANCELED);
            case "FINISHED" -> Optional.of(JobStatus.FINISHED);
            default -> Optional.empty();
        };
    }
}
