package dev.slipway.submission.job;

import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.submission.Job;
import dev.slipway.submission.PendingOperation;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * How actions and what Flink reports change a job. Pure: the job entity in, the job changed (no I/O, the
 * time comes in); the service persists it and publishes the events the change implies.
 *
 * <p>A job has at most one action in progress. Restart, rollback, upgrade and migration are one action
 * ("redeploy"): when the current run is alive it is stopped with a savepoint first (STOP then submit),
 * otherwise the version is submitted from the newer of the latest savepoint and the latest checkpoint Flink retained (SUBMIT). The status keeps saying what
 * Flink said last (FINISHED after the stop) until the new run is accepted (SUBMITTED).
 */
public final class JobTransitions {

    public static final String CONFLICT = "https://slipway.dev/problems/job-state";

    private JobTransitions() {
    }

    /** Cancels the run; a job not yet handed to Flink is CANCELED at once. False when there was nothing to do. */
    public static boolean cancel(Job job, Instant now) {
        if (job.operation == Operation.CANCEL) {
            return false;
        }
        if (!job.flinkRunAlive()) {
            if (job.operation == Operation.SUBMIT) {
                job.opSeq++; // a submission in flight is no longer the job's
                end(job, now);
                job.status = JobStatus.CANCELED;
                job.statusReason = "cancelled before it was submitted to Flink";
                return true;
            }
            throw conflict("job " + job.id + " is " + job.status + "; there is no run to cancel");
        }
        begin(job, Operation.CANCEL, now);
        return true;
    }

    public static void savepoint(Job job, Instant now) {
        requireIdle(job, "take a savepoint");
        requireRunning(job, "take a savepoint");
        begin(job, Operation.SAVEPOINT, now);
    }

    public static void stop(Job job, Instant now) {
        requireIdle(job, "stop it");
        requireRunning(job, "stop it with a savepoint");
        begin(job, Operation.STOP, now);
    }

    /**
     * Runs {@code version} on {@code clusterId}: stops the live run with a savepoint and submits from it, or
     * submits from the newest restore point (none: from scratch) when no run is alive.
     */
    public static void redeploy(Job job, int version, String clusterId, String what, Instant now) {
        requireIdle(job, what);
        if (job.flinkRunAlive()) {
            requireRunning(job, what + " (the run is stopped with a savepoint first; cancel it to start over)");
            begin(job, Operation.STOP, now);
            job.pending.thenSubmit = true;
        } else {
            begin(job, Operation.SUBMIT, now);
            restoreFromLatest(job);
        }
        job.pending.version = version;
        job.pending.clusterId = clusterId;
    }

    /** A SUBMIT starts from this savepoint, given by the user (null: the newest restore point, or from scratch). */
    public static void restoreFrom(Job job, String savepointPath) {
        if (savepointPath == null) {
            return;
        }
        job.pending.restorePath = savepointPath;
        job.pending.restoreKind = RestoreKind.SAVEPOINT;
        job.pending.restoreLatest = false;
    }

    private static void restoreFromLatest(Job job) {
        RestorePoint latest = RestorePoint.latest(job).orElse(null);
        job.pending.restorePath = latest == null ? null : latest.path();
        job.pending.restoreKind = latest == null ? null : latest.kind();
        job.pending.restoreLatest = true;
    }

    /**
     * Flink retained a completed checkpoint of a run that ended: kept when newer than the one known, and chosen for a waiting
     * SUBMIT that restores from the newest point. False when it changes nothing.
     */
    public static boolean checkpointRetained(Job job, String path, Instant completedAt, Instant now) {
        if (!newerCheckpoint(job, path, completedAt)) {
            return false;
        }
        String older = job.latestCheckpoint;
        String olderRestore = job.pending.restorePath;
        job.latestCheckpoint = path;
        job.latestCheckpointAt = completedAt;
        job.updatedAt = now;
        if (job.operation == Operation.SUBMIT && job.pending.restoreLatest) {
            restoreFromLatest(job);
            CheckpointRetirement.retire(job, olderRestore);
        }
        CheckpointRetirement.retire(job, older);
        return true;
    }

    /** Whether the checkpoint is newer than the job's latest known one. */
    public static boolean newerCheckpoint(Job job, String path, Instant completedAt) {
        return path != null && completedAt != null && !path.equals(job.latestCheckpoint)
                && (job.latestCheckpointAt == null || completedAt.isAfter(job.latestCheckpointAt));
    }

    /** Flink accepted the run. */
    public static void submitted(Job job, String flinkJobId, Instant now) {
        job.runs++;
        String previousRestore = job.restoredFromKind == RestoreKind.CHECKPOINT ? job.restoredFrom : null;
        job.restoredFrom = job.pending.restorePath;
        job.restoredFromKind = job.pending.restorePath == null ? null : job.pending.restoreKind;
        job.flinkJobId = flinkJobId;
        job.version = job.pending.version;
        job.clusterId = job.pending.clusterId;
        job.status = JobStatus.SUBMITTED;
        job.statusReason = null;
        job.failureCause = null;
        end(job, now);
        // What the previous run started from, if a checkpoint of an earlier run, is nobody's restore point any more.
        CheckpointRetirement.retire(job, previousRestore);
    }

    /** Flink refused the run (the program failed to start, the savepoint is unreadable, ...): the job failed. */
    public static void submissionFailed(Job job, String cause, Instant now) {
        job.runs++;
        job.status = JobStatus.FAILED;
        job.failureCause = cause;
        job.statusReason = "Flink refused the run of version " + job.pending.version;
        job.opError = cause;
        end(job, now);
    }

    /** Why the job waits (cluster not running, JobManager unreachable); false when it was already the reason. */
    public static boolean waiting(Job job, String reason, Instant now) {
        if (reason.equals(job.statusReason)) {
            return false;
        }
        job.statusReason = reason;
        job.updatedAt = now;
        return true;
    }

    /** Flink's state of the current run; ends the actions that were waiting for the run to be over. */
    public static void observed(Job job, JobStatus status, String failureCause, Instant now) {
        if (status != job.status || (failureCause != null && !failureCause.equals(job.failureCause))) {
            job.status = status;
            job.failureCause = status == JobStatus.FAILING || status == JobStatus.FAILED ? failureCause : null;
            job.updatedAt = now;
        }
        job.statusReason = null; // Flink answered: whatever kept it from answering is over
        if (!status.terminal()) {
            return;
        }
        switch (job.operation) {
            case CANCEL -> end(job, now);
            case SAVEPOINT -> failed(job, "the run ended (" + status + ") before the savepoint completed", now);
            case STOP -> {
                if (job.pending.restorePath != null) {
                    afterStop(job, now);
                }
                // else the stop's result is not read yet (the run ends as its savepoint completes): savepointCompleted goes on
            }
            default -> {
            }
        }
    }

    /** A savepoint of the run completed (triggered, or the stop's). */
    public static void savepointCompleted(Job job, String path, Instant now) {
        job.latestSavepoint = path;
        job.latestSavepointAt = now;
        job.updatedAt = now;
        if (job.operation == Operation.SAVEPOINT) {
            end(job, now);
        } else if (job.operation == Operation.STOP) {
            job.pending.restorePath = path;
            job.pending.restoreKind = RestoreKind.SAVEPOINT;
            job.pending.restoreLatest = false;
            if (job.flinkJobId != null && job.status.terminal()) {
                afterStop(job, now);
            }
            // else the run ends next; observed() goes on from there
        }
    }

    /** The stop's savepoint is taken and the run is over: done, or submit from the savepoint. */
    private static void afterStop(Job job, Instant now) {
        if (job.pending.thenSubmit) {
            job.operation = Operation.SUBMIT;
            job.pending.thenSubmit = false;
            job.pending.triggerId = null;
            job.updatedAt = now;
        } else {
            end(job, now);
        }
    }

    /** The action could not be done; the run (if any) goes on as it is. */
    public static void failed(Job job, String error, Instant now) {
        job.opError = error;
        end(job, now);
    }

    /**
     * The run's JobManager is gone or not elected yet, while the cluster keeps its jobs in its high-availability store: the
     * run lives on and a JobManager that leads again recovers it. False when it changes nothing.
     */
    public static boolean recovering(Job job, String reason, Instant now) {
        if (job.status == JobStatus.RECOVERING && reason.equals(job.statusReason)) {
            return false;
        }
        job.status = JobStatus.RECOVERING;
        job.statusReason = reason;
        job.failureCause = null;
        job.updatedAt = now;
        return true;
    }

    /** A JobManager that leads again runs the recovered run, restored from {@code checkpoint} (null: Flink named none). */
    public static void recovered(Job job, String checkpoint, Instant now) {
        String previousRestore = job.restoredFromKind == RestoreKind.CHECKPOINT ? job.restoredFrom : null;
        job.status = JobStatus.RUNNING;
        job.statusReason = checkpoint == null ? "recovered by a new JobManager"
                : "recovered by a new JobManager from checkpoint " + checkpoint;
        if (checkpoint != null) {
            job.restoredFrom = checkpoint;
            job.restoredFromKind = RestoreKind.CHECKPOINT;
            CheckpointRetirement.retire(job, previousRestore);
        }
        job.failureCause = null;
        job.updatedAt = now;
    }

    /**
     * The run is gone from Flink (its JobManager was replaced without high availability, or its HA data is gone). The job is
     * submitted again, same version and cluster, from its newest restore point (the newest checkpoint found for the run was
     * recorded first), after the policy's back-off; it is FAILED instead, saying why and what to do, when it has no restore
     * point (a restart would silently start from nothing) or had its automatic restarts for the window.
     */
    public static void lost(Job job, String cause, AutoRestartPolicy policy, Instant now) {
        // The action the loss ended, if any: the user still learns why it failed.
        String interrupted = job.operation != Operation.NONE && job.operation != Operation.SUBMIT ? cause : null;
        if (interrupted != null) {
            failed(job, cause, now);
        }
        Optional<RestorePoint> from = RestorePoint.latest(job);
        Optional<AutoRestartPolicy.Attempt> attempt = policy.next(job.autoRestarts, job.autoRestartWindowFrom, now);
        if (from.isEmpty() || attempt.isEmpty()) {
            job.status = JobStatus.FAILED;
            job.failureCause = cause;
            job.statusReason = from.isEmpty()
                    ? cause + "; not restarted: no checkpoint or savepoint of the job exists, so it would start from nothing."
                            + " Restart it yourself (jobs restart) to start it from nothing"
                    : cause + "; not restarted: it was restarted automatically " + policy.maxAttempts() + " times within "
                            + policy.window() + ". Look at its logs, then restart it (jobs restart)";
            job.updatedAt = now;
            return;
        }
        int version = job.version;
        String clusterId = job.clusterId;
        begin(job, Operation.SUBMIT, now);
        job.opError = interrupted;
        job.pending.version = version;
        job.pending.clusterId = clusterId;
        restoreFromLatest(job);
        job.pending.notBefore = attempt.get().notBefore();
        job.autoRestarts = attempt.get().number();
        job.autoRestartWindowFrom = attempt.get().window();
        job.status = JobStatus.RECOVERING;
        job.failureCause = null;
        job.statusReason = cause + "; restarting it from " + from.get().kind().name().toLowerCase(Locale.ROOT) + " "
                + from.get().path() + " (automatic restart " + attempt.get().number() + " of " + policy.maxAttempts() + " within "
                + policy.window() + ")";
    }

    /**
     * Whether deleting the cluster concerns the job: a run not over there, an action on that run, or an action that is to
     * submit the job there (a restart, or a migration to it).
     */
    public static boolean liveOn(Job job, String clusterId) {
        return switch (job.operation) {
            case SUBMIT -> clusterId.equals(job.pending.clusterId);
            case STOP -> clusterId.equals(job.clusterId) || clusterId.equals(job.pending.clusterId);
            case CANCEL, SAVEPOINT -> clusterId.equals(job.clusterId);
            case NONE -> clusterId.equals(job.clusterId) && !job.status.terminal();
        };
    }

    /**
     * The cluster was deleted (by a forced delete, or seen DELETING/DELETED by the reconciler). A job whose run was there (or
     * that was to run there for the first time, or again) is CANCELED: its run goes with the cluster's pods. A job that was
     * only to move there keeps its own run: the migration is dropped (a stop already sent to Flink completes as a plain stop).
     * Any step of the reconciler still in flight for the job is dropped too.
     */
    public static void clusterDeleted(Job job, String clusterId, String reason, Instant now) {
        boolean ownRun = clusterId.equals(job.clusterId)
                && (job.operation != Operation.SUBMIT || clusterId.equals(job.pending.clusterId));
        boolean firstRun = job.flinkJobId == null && clusterId.equals(job.pending.clusterId);
        job.opSeq++;
        if (ownRun || firstRun) {
            boolean busy = job.operation != Operation.NONE;
            end(job, now);
            job.opError = busy ? reason : job.opError;
            job.status = JobStatus.CANCELED;
            job.statusReason = reason;
            job.failureCause = null;
            return;
        }
        String dropped = reason + "; the job was not moved there and stays on cluster " + job.clusterId;
        job.statusReason = dropped;
        if (job.operation == Operation.STOP && job.pending.triggerId != null) {
            job.pending.thenSubmit = false;
            job.pending.version = null;
            job.pending.clusterId = null;
            job.opError = dropped;
            job.updatedAt = now;
        } else {
            failed(job, dropped, now);
        }
    }

    private static void begin(Job job, Operation operation, Instant now) {
        job.operation = operation;
        job.opSeq++;
        job.pending = PendingOperation.startedAt(now);
        job.opError = null;
        job.updatedAt = now;
    }

    private static void end(Job job, Instant now) {
        job.operation = Operation.NONE;
        job.pending = PendingOperation.none();
        job.updatedAt = now;
    }

    private static void requireIdle(Job job, String what) {
        if (job.operation != Operation.NONE) {
            throw conflict("cannot " + what + ": job " + job.id + " is busy with " + job.operation + "; wait for it to finish");
        }
    }

    private static void requireRunning(Job job, String what) {
        if (job.flinkJobId == null || job.status != JobStatus.RUNNING) {
            throw conflict("cannot " + what + ": job " + job.id + " is " + job.status + ", not RUNNING");
        }
    }

    private static ProblemException conflict(String detail) {
        return new ProblemException(409, CONFLICT, "Not possible in the job's state", detail, java.util.List.of());
    }
}
