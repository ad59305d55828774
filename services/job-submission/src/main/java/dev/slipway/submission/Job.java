package dev.slipway.submission;

import dev.slipway.contracts.jobs.JobKind;
import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.submission.job.Operation;
import dev.slipway.submission.job.RestoreKind;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A tenant's Flink job: the version it runs, its current Flink run and status, and the action in
 * progress ({@link Operation}, at most one), which the job reconciler carries out step by step.
 */
@Entity
@Table(name = "jobs")
public class Job {

    @Id
    public String id;

    @Column(nullable = false)
    public String tenant;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public JobKind kind;

    /** The cluster of the current run (or of the first, before it is submitted). */
    @Column(name = "cluster_id", nullable = false)
    public String clusterId;

    /** The version of the current run. */
    public int version;

    @Column(name = "latest_version")
    public int latestVersion;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public JobStatus status;

    /** Why the job waits, or what the last attempt to reach Flink answered. */
    @Column(name = "status_reason", columnDefinition = "text")
    public String statusReason;

    /** Flink's failure cause of a FAILING or FAILED run. */
    @Column(name = "failure_cause", columnDefinition = "text")
    public String failureCause;

    /** Flink's job id of the current run; null until Flink accepted it. */
    @Column(name = "flink_job_id")
    public String flinkJobId;

    /** Runs submitted to Flink so far; the next run's Flink job id derives from it. */
    public int runs;

    /** Events published for the job so far; their ids derive from it. */
    public long revision;

    @Column(name = "latest_savepoint", columnDefinition = "text")
    public String latestSavepoint;

    /** When {@link #latestSavepoint} completed (as the platform saw it). */
    @Column(name = "latest_savepoint_at")
    public Instant latestSavepointAt;

    /** The latest checkpoint Flink retained of an ended run (RETAIN_ON_CANCELLATION keeps it on cancel and failure). */
    @Column(name = "latest_checkpoint", columnDefinition = "text")
    public String latestCheckpoint;

    /** When {@link #latestCheckpoint} completed (Flink's latest acknowledgement). */
    @Column(name = "latest_checkpoint_at")
    public Instant latestCheckpointAt;

    /** What the current run was restored from; null for a run started from scratch. */
    @Column(name = "restored_from", columnDefinition = "text")
    public String restoredFrom;

    @Enumerated(EnumType.STRING)
    @Column(name = "restored_from_kind")
    public RestoreKind restoredFromKind;

    /**
     * Checkpoints earlier runs retained that nothing of the job starts from any more, newline-separated, oldest first: the
     * reconciler disposes of them through Flink unless another job may start from one.
     */
    @Column(name = "checkpoints_to_dispose", columnDefinition = "text")
    public String checkpointsToDispose;

    /** Flink's trigger of the disposal of the first of {@link #checkpointsToDispose}, once asked. */
    @Column(name = "checkpoint_disposal_trigger")
    public String checkpointDisposalTrigger;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Operation operation;

    /** +1 for every action started: the reconciler records a step only if the action is still the one it read. */
    @Column(name = "op_seq")
    public long opSeq;

    /** What the action in progress is about and how far it got; none when {@link #operation} is NONE. */
    @Embedded
    public PendingOperation pending = PendingOperation.none();

    /** Automatic restarts of lost runs since {@link #autoRestartWindowFrom}. */
    @Column(name = "auto_restarts", nullable = false)
    public int autoRestarts;

    /** When the window of {@link #autoRestarts} began. */
    @Column(name = "auto_restart_window_from")
    public Instant autoRestartWindowFrom;

    /** Why the last action failed (kept after it ended, cleared by the next). */
    @Column(name = "op_error", columnDefinition = "text")
    public String opError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** A Flink run exists and is not over. */
    public boolean flinkRunAlive() {
        return flinkJobId != null && !status.terminal();
    }
}
