package dev.slipway.submission.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slipway.contracts.jobs.JobKind;
import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.submission.Job;
import dev.slipway.submission.JobSavepoint;
import dev.slipway.submission.JobVersion;
import dev.slipway.submission.job.JobDependency;
import dev.slipway.submission.job.Operation;
import dev.slipway.submission.job.RestoreKind;
import dev.slipway.submission.service.JobService;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as the API shows it: the version and cluster of its current run, Flink's job id and state, the
 * action in progress ({@code operation}: SUBMIT, CANCEL, SAVEPOINT, STOP), the latest savepoint and retained checkpoint,
 * what the current run was restored from and, in the detail view, every version and savepoint.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String id,
        String name,
        String tenant,
        JobKind kind,
        String clusterId,
        int version,
        int latestVersion,
        JobStatus status,
        String statusReason,
        String failureCause,
        String flinkJobId,
        List<String> actions,
        Operation operation,
        Integer operationVersion,
        String operationClusterId,
        String operationError,
        String latestSavepoint,
        String latestCheckpoint,
        RestoreView restoredFrom,
        List<VersionView> versions,
        List<SavepointView> savepoints,
        Instant createdAt,
        Instant updatedAt) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VersionView(int version, JobKind kind, String entryClass, Integer parallelism, List<String> args, String script,
            Map<String, String> flinkConfiguration, String savepointPath, Artifact artifact, List<JobDependency> dependencies,
            Instant createdAt) {
    }

    public record Artifact(String sha256, Long size, String name) {
    }

    /** What the current run started from: a SAVEPOINT or a retained CHECKPOINT. */
    public record RestoreView(String path, RestoreKind kind) {
    }

    /** A savepoint the job took; {@code disposedAt} once Flink deleted it (retention), {@code disposalError} if it could not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SavepointView(String path, String kind, int version, String flinkJobId, Instant createdAt, Instant disposedAt,
            String disposalError) {
    }

    /**
     * The actions without a body the job's status allows, as the paths under {@code /api/v1/jobs/{id}/} (the console's
     * buttons): a run that ended restarts; a RUNNING one takes savepoints, stops and cancels; any other is cancelled. The
     * API still refuses, saying why, what another action in progress prevents.
     */
    static List<String> actions(JobStatus status) {
        if (status.terminal()) {
            return List.of("restart");
        }
        return status == JobStatus.RUNNING ? List.of("savepoints", "stop", "cancel") : List.of("cancel");
    }

    public static JobView of(Job job) {
        return of(job, null, null, null);
    }

    public static JobView of(Job job, List<JobVersion> versions, List<JobSavepoint> savepoints, JobService service) {
        return new JobView(job.id, job.name, job.tenant, job.kind, job.clusterId, job.version, job.latestVersion, job.status,
                job.statusReason, job.failureCause, job.flinkJobId, actions(job.status),
                job.operation == Operation.NONE ? null : job.operation,
                job.pending.version, job.pending.clusterId, job.opError, job.latestSavepoint, job.latestCheckpoint,
                job.restoredFrom == null ? null : new RestoreView(job.restoredFrom, job.restoredFromKind),
                versions == null ? null : versions.stream().map(v -> new VersionView(v.version, v.kind, v.entryClass, v.parallelism,
                        service.args(v), v.sqlScript, service.configuration(v), v.savepointPath,
                        new Artifact(v.artifactSha256, v.artifactSize, v.artifactName), service.dependencies(v), v.createdAt)).toList(),
                savepoints == null ? null : savepoints.stream()
                        .map(s -> new SavepointView(s.path, s.kind, s.version, s.flinkJobId, s.createdAt, s.disposedAt,
                                s.disposalError)).toList(),
                job.createdAt, job.updatedAt);
    }
}
