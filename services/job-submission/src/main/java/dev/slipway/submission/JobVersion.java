package dev.slipway.submission;

import dev.slipway.contracts.jobs.JobKind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One version of a job: its artifact and configuration, kept for restarts and rollbacks. */
@Entity
@Table(name = "job_versions")
public class JobVersion {

    /** {@code <job>/<version>}. */
    @Id
    public String id;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    public int version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public JobKind kind;

    @Column(name = "artifact_sha256")
    public String artifactSha256;

    @Column(name = "artifact_size")
    public Long artifactSize;

    /** The file name the jar was uploaded with. */
    @Column(name = "artifact_name")
    public String artifactName;

    @Column(name = "entry_class")
    public String entryClass;

    /** Null: the cluster's default parallelism. */
    public Integer parallelism;

    /** JSON array of strings. */
    @Column(name = "program_args", nullable = false, columnDefinition = "text")
    public String programArgs;

    /** JSON object of strings. */
    @Column(name = "flink_configuration", nullable = false, columnDefinition = "text")
    public String flinkConfiguration;

    /** A SQL job's Flink SQL script (its artifact is the SQL runner); null for a JAR job. */
    @Column(name = "sql_script", columnDefinition = "text")
    public String sqlScript;

    /** The savepoint the version was first submitted from, if any. */
    @Column(name = "savepoint_path", columnDefinition = "text")
    public String savepointPath;

    /** JSON array of {@link dev.slipway.submission.job.JobDependency}: jars the version runs with beside its own. */
    @Column(nullable = false, columnDefinition = "text")
    public String dependencies;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static String idOf(String jobId, int version) {
        return jobId + "/" + version;
    }
}
