package dev.slipway.submission.job;

import dev.slipway.submission.Job;
import java.util.Optional;

/** A state a run can start from. */
public record RestorePoint(String path, RestoreKind kind) {

    /**
     * The newer of the job's latest savepoint and latest retained checkpoint. The checkpoint wins only when both times are
     * known and it completed later: a savepoint's time is when the platform saw it complete (no earlier than it did), so a tie
     * or an unknown time keeps the savepoint, which the user took on purpose.
     */
    public static Optional<RestorePoint> latest(Job job) {
        boolean checkpointNewer = job.latestCheckpoint != null && job.latestCheckpointAt != null
                && (job.latestSavepoint == null
                        || (job.latestSavepointAt != null && job.latestCheckpointAt.isAfter(job.latestSavepointAt)));
        if (checkpointNewer) {
            return Optional.of(new RestorePoint(job.latestCheckpoint, RestoreKind.CHECKPOINT));
        }
        return Optional.ofNullable(job.latestSavepoint).map(path -> new RestorePoint(path, RestoreKind.SAVEPOINT));
    }
}
