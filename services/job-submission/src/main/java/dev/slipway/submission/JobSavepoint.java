package dev.slipway.submission;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A completed savepoint of a job's run, and whether it was disposed of (see {@code SavepointRetention}). */
@Entity
@Table(name = "job_savepoints")
public class JobSavepoint {

    public static final String TRIGGERED = "SAVEPOINT";
    public static final String STOPPED = "STOP";

    /** {@code <job>/<trigger id>}. */
    @Id
    public String id;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    public int version;

    @Column(name = "flink_job_id", nullable = false)
    public String flinkJobId;

    /** {@link #TRIGGERED} or {@link #STOPPED}. */
    @Column(nullable = false)
    public String kind;

    @Column(nullable = false, columnDefinition = "text")
    public String path;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Flink's id of the disposal in progress ({@code POST /savepoint-disposal}), until it ends. */
    @Column(name = "disposal_trigger")
    public String disposalTrigger;

    /** When Flink disposed of it (its files are gone); null while it is kept. */
    @Column(name = "disposed_at")
    public Instant disposedAt;

    /** Why Flink could not dispose of it; it is then left where it is and not tried again. */
    @Column(name = "disposal_error", columnDefinition = "text")
    public String disposalError;

    /** Neither disposed of nor given up on: its files are still there. */
    public boolean kept() {
        return disposedAt == null && disposalError == null;
    }
}
