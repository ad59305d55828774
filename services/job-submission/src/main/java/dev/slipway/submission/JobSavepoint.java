package dev.slipway.submission;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A completed savepoint of a job's run. */
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
}
