package dev.slipway.submission;

import dev.slipway.submission.job.RestoreKind;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import java.time.Instant;

/**
 * What the job's action in progress ({@link Job#operation}) is about and how far the reconciler took it. Every action starts
 * with a fresh one and every end leaves a fresh (empty) one, so nothing of an earlier action leaks into the next; a stop
 * that goes on to submit keeps its own.
 */
@Embeddable
public class PendingOperation {

    /** SUBMIT, STOP then submit: the version to submit. */
    @Column(name = "op_version")
    public Integer version;

    /** SUBMIT, STOP then submit: the cluster to submit to. */
    @Column(name = "op_cluster_id")
    public String clusterId;

    /** SUBMIT: the savepoint to start from; STOP: the savepoint the stop took, once taken. */
    @Column(name = "op_restore_path", columnDefinition = "text")
    public String restorePath;

    /** SUBMIT: whether {@link #restorePath} is a savepoint or a retained checkpoint. */
    @Enumerated(EnumType.STRING)
    @Column(name = "op_restore_kind")
    public RestoreKind restoreKind;

    /**
     * SUBMIT: {@link #restorePath} was chosen as the newest restore point (not given by the user, nor taken by a stop), so a
     * newer checkpoint found before the submission replaces it.
     */
    @Column(name = "op_restore_latest")
    public boolean restoreLatest;

    /** STOP: submit {@link #version} on {@link #clusterId} from the stop's savepoint once the run has ended. */
    @Column(name = "op_then_submit")
    public boolean thenSubmit;

    /** SAVEPOINT, STOP: Flink's trigger id; CANCEL: set once the cancellation was sent. */
    @Column(name = "op_trigger_id")
    public String triggerId;

    @Column(name = "op_started_at")
    public Instant startedAt;

    /** SUBMIT: not before this instant (the back-off of an automatic restart); null: at once. */
    @Column(name = "op_not_before")
    public Instant notBefore;

    /** Nothing in progress. */
    public static PendingOperation none() {
        return new PendingOperation();
    }

    /** An action that starts now, with nothing chosen yet. */
    public static PendingOperation startedAt(Instant now) {
        PendingOperation started = new PendingOperation();
        started.startedAt = now;
        return started;
    }
}
