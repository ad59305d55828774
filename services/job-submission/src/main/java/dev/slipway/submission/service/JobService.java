package dev.slipway.submission.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.jobs.JobKind;
import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.contracts.jobs.JobStatusChanged;
import dev.slipway.contracts.jobs.JobSubmitted;
import dev.slipway.contracts.jobs.SavepointCompleted;
import dev.slipway.flink.sql.SqlRunner;
import dev.slipway.rest.problems.Problem.FieldError;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.submission.Cluster;
import dev.slipway.submission.Job;
import dev.slipway.submission.JobSavepoint;
import dev.slipway.submission.JobVersion;
import dev.slipway.submission.OutboxMessage;
import dev.slipway.submission.artifact.ArtifactStore;
import dev.slipway.submission.cluster.ClusterIds;
import dev.slipway.submission.cluster.Lifecycle;
import dev.slipway.submission.dependency.JobDependencies;
import dev.slipway.submission.job.JobDependency;
import dev.slipway.submission.job.JobIds;
import dev.slipway.submission.job.JobRequest;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.job.JobValidator;
import dev.slipway.submission.job.Operation;
import dev.slipway.submission.job.SavepointRetention;
import dev.slipway.submission.messaging.OutboxRelay;
import dev.slipway.submission.tenant.Tenant;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Jobs of tenants: every change and the events it implies commit in one transaction (the events go into
 * the outbox). The users' actions only record what is to be done ({@link Operation}); the job reconciler
 * does it against Flink and records the outcome through {@link #update}.
 */
@ApplicationScoped
public class JobService {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<JobDependency>> DEPENDENCIES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    /** The statuses a run ends in ({@link JobStatus#terminal}), for queries. */
    private static final List<JobStatus> TERMINAL = Arrays.stream(JobStatus.values()).filter(JobStatus::terminal).toList();

    private final Mutiny.SessionFactory sessions;
    private final ObjectMapper json;
    private final OutboxRelay relay;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Event<JobsChanged> changed;

    public JobService(Mutiny.SessionFactory sessions, ObjectMapper json, OutboxRelay relay, Clock clock, Event<JobsChanged> changed) {
        this.sessions = sessions;
        this.changed = changed;
        this.json = json;
        this.relay = relay;
        this.clock = clock;
    }

    /** A job with its versions and savepoints, as the detail view shows it. */
    public record Details(Job job, List<JobVersion> versions, List<JobSavepoint> savepoints) {
    }

    /** A validated jar, stored: what a new job or a new version records. */
    public record Artifact(ArtifactStore.Stored stored, String filename, String entryClass, List<JobDependency> dependencies) {
    }

    /** What an outcome recorded by the reconciler implies beyond the status: a run accepted, a savepoint taken. */
    public static final class Effects {

        private JobVersion submittedVersion;
        private String submittedFrom;
        private String savepointKind;
        private String savepointPath;
        private String savepointTrigger;

        public void submitted(JobVersion version, String fromSavepoint) {
            this.submittedVersion = version;
            this.submittedFrom = fromSavepoint;
        }

        public void savepoint(String kind, String path, String triggerId) {
            this.savepointKind = kind;
            this.savepointPath = path;
            this.savepointTrigger = triggerId;
        }
    }

    /** A change the reconciler records; {@code now} is the one instant of the change. */
    @FunctionalInterface
    public interface Change {
        void apply(Job job, Instant now, Effects effects);
    }

    // ---- users' actions ----

    /**
     * A job: version 1 with its stored artifact (the jar of a JAR job, the SQL runner of a SQL job), SUBMITTED,
     * waiting for its cluster to run.
     */
    public Uni<Job> create(Tenant tenant, JobRequest request, Artifact artifact, String traceparent) {
        JobKind kind = kindOf(request);
        String name = request.name() != null ? request.name()
                : kind == JobKind.SQL ? JobValidator.defaultSqlName(request.script()) : JobValidator.defaultName(artifact.entryClass());
        String id = ClusterIds.of(name, HexFormat.of().toHexDigits(random.nextInt()));
        return sessions.withTransaction(session -> session.find(Cluster.class, request.clusterId(), LockMode.PESSIMISTIC_READ)
                        .map(cluster -> runnableCluster(cluster, tenant, request.clusterId()))
                        .invoke(cluster -> runsDependencies(cluster, artifact.dependencies()))
                        .chain(cluster -> {
                            Instant now = clock.instant();
                            Job job = new Job();
                            job.id = id;
                            job.tenant = tenant.name();
                            job.name = name;
                            job.kind = kind;
                            job.clusterId = cluster.id;
                            job.version = 1;
                            job.latestVersion = 1;
                            job.status = JobStatus.SUBMITTED;
                            job.createdAt = now;
                            job.updatedAt = now;
                            job.operation = Operation.NONE;
                            JobTransitions.redeploy(job, 1, cluster.id, "submit it", now);
                            JobTransitions.restoreFrom(job, request.savepointPath());
                            job.statusReason = "waiting to be submitted to cluster " + cluster.id;
                            JobVersion version = version(job.id, 1, request, artifact, now);
                            List<OutboxMessage> events = new ArrayList<>();
                            events.add(statusEvent(job, now, traceparent));
                            return session.persist(job)
                                    .chain(() -> session.persist(version))
                                    .chain(() -> session.persistAll(events.toArray()))
                                    .replaceWith(job);
                        }))
                .invoke(this::wakeAll);
    }

    /**
     * A new version (a JAR job's own jar and configuration, a SQL job's script); deployed as an upgrade: stop
     * with savepoint, submit from it.
     */
    public Uni<Job> newVersion(Tenant tenant, String id, JobRequest request, Artifact artifact, String traceparent) {
        return act(tenant, id, traceparent, (session, job, now) -> {
            if (job.kind != kindOf(request)) {
                throw ProblemException.invalid(List.of(new FieldError("type", "job " + id + " is a " + job.kind + " job; its versions are "
                        + (job.kind == JobKind.SQL ? "SQL scripts, sent as JSON" : "jars, sent as multipart uploads"))));
            }
            int next = job.latestVersion + 1;
            return ownClusterTakesJobs(session, job, "deploy a new version").chain(cluster -> {
                runsDependencies(cluster, artifact.dependencies());
                JobTransitions.redeploy(job, next, job.clusterId, "deploy a new version", now);
                if (job.operation == Operation.SUBMIT) {
                    JobTransitions.restoreFrom(job, request.savepointPath());
                }
                job.latestVersion = next;
                return session.persist(version(job.id, next, request, artifact, now));
            });
        });
    }

    public Uni<Job> cancel(Tenant tenant, String id, String traceparent) {
        return act(tenant, id, traceparent, (session, job, now) -> {
            JobTransitions.cancel(job, now);
            return Uni.createFrom().voidItem();
        });
    }

    public Uni<Job> savepoint(Tenant tenant, String id, String traceparent) {
        return act(tenant, id, traceparent, (session, job, now) -> {
            JobTransitions.savepoint(job, now);
            return Uni.createFrom().voidItem();
        });
    }

    public Uni<Job> stop(Tenant tenant, String id, String traceparent) {
        return act(tenant, id, traceparent, (session, job, now) -> {
            JobTransitions.stop(job, now);
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * The same version again, from the newer of the latest savepoint and the latest retained checkpoint (a savepoint taken now
     * by a stop when the run is alive).
     */
    public Uni<Job> restart(Tenant tenant, String id, String traceparent) {
        return act(tenant, id, traceparent, (session, job, now) -> ownClusterTakesJobs(session, job, "restart it")
                .invoke(() -> JobTransitions.redeploy(job, job.version, job.clusterId, "restart it", now)).replaceWithVoid());
    }

    /** An earlier (or any kept) version, from the latest savepoint. */
    public Uni<Job> rollback(Tenant tenant, String id, Integer version, String traceparent) {
        if (version == null) {
            return Uni.createFrom().failure(ProblemException.invalid(List.of(new FieldError("version", "is required"))));
        }
        return act(tenant, id, traceparent, (session, job, now) -> {
            if (version < 1 || version > job.latestVersion) {
                throw ProblemException.invalid(List.of(new FieldError("version",
                        "job " + id + " has versions 1 to " + job.latestVersion)));
            }
            return ownClusterTakesJobs(session, job, "roll it back")
                    .invoke(() -> JobTransitions.redeploy(job, version, job.clusterId, "roll it back", now)).replaceWithVoid();
        });
    }

    /** To another of the tenant's clusters: stop with savepoint, submit there from it. */
    public Uni<Job> migrate(Tenant tenant, String id, String clusterId, String traceparent) {
        if (clusterId == null || clusterId.isBlank()) {
            return Uni.createFrom().failure(ProblemException.invalid(List.of(new FieldError("clusterId", "is required"))));
        }
        return act(tenant, id, traceparent, (session, job, now) -> {
            if (clusterId.equals(job.clusterId)) {
                throw ProblemException.invalid(List.of(new FieldError("clusterId", "the job already runs on cluster " + clusterId)));
            }
            return session.find(JobVersion.class, JobVersion.idOf(job.id, job.version))
                    .chain(version -> session.find(Cluster.class, clusterId, LockMode.PESSIMISTIC_READ).invoke(cluster -> {
                        runnableCluster(cluster, tenant, clusterId);
                        runsDependencies(cluster, version == null ? List.of() : dependencies(version));
                        JobTransitions.redeploy(job, job.version, clusterId, "migrate it", now);
                    })).replaceWithVoid();
        });
    }

    public Uni<List<Job>> list(Tenant tenant, String clusterId) {
        if (clusterId == null || clusterId.isBlank()) {
            return sessions.withSession(session -> session.createSelectionQuery(
                            "from Job where tenant = :tenant order by createdAt, id", Job.class)
                    .setParameter("tenant", tenant.name())
                    .getResultList());
        }
        return sessions.withSession(session -> session.createSelectionQuery(
                        "from Job where tenant = :tenant and clusterId = :cluster order by createdAt, id", Job.class)
                .setParameter("tenant", tenant.name())
                .setParameter("cluster", clusterId)
                .getResultList());
    }

    public Uni<Details> get(Tenant tenant, String id) {
        return sessions.withSession(session -> session.find(Job.class, id)
                .map(job -> owned(job, tenant, id))
                .chain(job -> session.createSelectionQuery("from JobVersion where jobId = :id order by version", JobVersion.class)
                        .setParameter("id", id).getResultList()
                        .chain(versions -> session.createSelectionQuery(
                                        "from JobSavepoint where jobId = :id order by createdAt, id", JobSavepoint.class)
                                .setParameter("id", id).getResultList()
                                .map(savepoints -> new Details(job, versions, savepoints)))));
    }

    // ---- jobs of a cluster being deleted (in the deletion's transaction) ----

    /** The jobs that deleting the cluster concerns ({@link JobTransitions#liveOn}), locked for the deletion's transaction. */
    public static Uni<List<Job>> liveOn(Mutiny.Session session, String clusterId) {
        return session.createSelectionQuery("from Job where clusterId = :cluster or pending.clusterId = :cluster order by createdAt, id",
                        Job.class)
                .setParameter("cluster", clusterId)
                .setLockMode(LockMode.PESSIMISTIC_WRITE)
                .getResultList()
                .map(jobs -> jobs.stream().filter(job -> JobTransitions.liveOn(job, clusterId)).toList());
    }

    /** Ends the jobs of a cluster deleted with force, each with its status event in the outbox of the same transaction. */
    public Uni<Void> endForDeletedCluster(Mutiny.Session session, List<Job> live, String clusterId, String traceparent, Instant now) {
        List<Object> writes = new ArrayList<>();
        for (Job job : live) {
            Snapshot before = Snapshot.of(job);
            JobTransitions.clusterDeleted(job, clusterId, "cluster " + clusterId + " was deleted with force=true while the job was "
                    + job.status + (job.operation == Operation.NONE ? "" : " (" + job.operation + " in progress)"), now);
            if (!before.sameStatus(job)) {
                writes.add(statusEvent(job, now, traceparent));
            }
        }
        return session.persistAll(writes.toArray()); // the deletion wakes the relay once it commits
    }

    // ---- the reconciler's reads and writes ----

    /** Jobs with an action in progress or a Flink run that is not over. */
    public Uni<List<Job>> active() {
        return sessions.withSession(session -> session.createSelectionQuery(
                        "from Job where operation <> :none or (flinkJobId is not null and status not in (:terminal)) order by updatedAt",
                        Job.class)
                .setParameter("none", Operation.NONE)
                .setParameter("terminal", TERMINAL)
                .getResultList());
    }

    /**
     * Jobs whose last run ended (and nothing is asked of them) with more than {@code kept} savepoints still there: the
     * savepoint retention's work once no run of theirs is alive.
     */
    public Uni<List<Job>> endedWithSavepointsBeyond(int kept) {
        return sessions.withSession(session -> session.createSelectionQuery(
                        "from Job j where j.operation = :none and j.status in (:terminal) and (select count(s) from JobSavepoint s"
                                + " where s.jobId = j.id and s.disposedAt is null and s.disposalError is null) > :kept order by j.updatedAt",
                        Job.class)
                .setParameter("none", Operation.NONE)
                .setParameter("terminal", TERMINAL)
                .setParameter("kept", (long) kept)
                .getResultList());
    }

    /** The job's savepoints, disposed ones included: what the savepoint retention looks at. */
    public Uni<List<JobSavepoint>> savepoints(String jobId) {
        return sessions.withSession(session -> session.createSelectionQuery("from JobSavepoint where jobId = :id", JobSavepoint.class)
                .setParameter("id", jobId).getResultList());
    }

    /** Which of {@code paths} any job may still start from ({@link SavepointRetention#startPoints}), its own or another's. */
    public Uni<Set<String>> startPoints(List<String> paths) {
        return sessions.withSession(session -> session.createSelectionQuery(
                        "from Job where latestSavepoint in (:paths) or restoredFrom in (:paths) or pending.restorePath in (:paths)", Job.class)
                .setParameter("paths", paths).getResultList()
                .chain(jobs -> session.createSelectionQuery("from JobVersion where savepointPath in (:paths)", JobVersion.class)
                        .setParameter("paths", paths).getResultList()
                        .map(versions -> SavepointRetention.startPoints(jobs, versions))));
    }

    /** Records a step of a savepoint's disposal (its trigger, its end). */
    public Uni<Void> updateSavepoint(String savepointId, Consumer<JobSavepoint> change) {
        return sessions.withTransaction(session -> session.find(JobSavepoint.class, savepointId, LockMode.PESSIMISTIC_WRITE)
                .invoke(savepoint -> {
                    if (savepoint != null) {
                        change.accept(savepoint);
                    }
                })
                .replaceWithVoid());
    }

    public Uni<Cluster> cluster(String id) {
        return sessions.withSession(session -> session.find(Cluster.class, id));
    }

    public Uni<JobVersion> version(String jobId, int version) {
        return sessions.withSession(session -> session.find(JobVersion.class, JobVersion.idOf(jobId, version)));
    }

    /**
     * Records an outcome of the reconciler if the job is still as it read it (same action, same run);
     * answers the job as changed, or null when it changed meanwhile (the outcome is dropped).
     */
    public Uni<Job> update(Job read, Change change) {
        return sessions.withTransaction(session -> session.find(Job.class, read.id, LockMode.PESSIMISTIC_WRITE).chain(job -> {
                    if (job == null || job.opSeq != read.opSeq || job.operation != read.operation
                            || !Objects.equals(job.flinkJobId, read.flinkJobId)) {
                        return Uni.createFrom().nullItem();
                    }
                    Instant now = clock.instant();
                    Snapshot before = Snapshot.of(job);
                    Effects effects = new Effects();
                    change.apply(job, now, effects);
                    List<Object> writes = new ArrayList<>();
                    if (effects.submittedVersion != null) {
                        JobVersion version = effects.submittedVersion;
                        writes.add(OutboxMessage.of(new JobSubmitted(JobIds.eventId(job.id, "JobSubmitted", ++job.revision),
                                job.clusterId, now, job.id, version.version, job.name, job.kind,
                                version.parallelism == null ? 0 : version.parallelism, effects.submittedFrom), null, now));
                    }
                    if (effects.savepointPath != null) {
                        JobSavepoint savepoint = new JobSavepoint();
                        savepoint.id = job.id + "/" + effects.savepointTrigger;
                        savepoint.jobId = job.id;
                        savepoint.version = job.version;
                        savepoint.flinkJobId = before.flinkJobId;
                        savepoint.kind = effects.savepointKind;
                        savepoint.path = effects.savepointPath;
                        savepoint.createdAt = now;
                        writes.add(savepoint);
                        writes.add(OutboxMessage.of(new SavepointCompleted(JobIds.eventId(job.id, "SavepointCompleted", ++job.revision),
                                job.clusterId, now, job.id, job.version, before.flinkJobId, effects.savepointPath), null, now));
                    }
                    if (!before.sameStatus(job)) {
                        writes.add(statusEvent(job, now, null));
                    }
                    return session.persistAll(writes.toArray()).replaceWith(job);
                }))
                .invoke(job -> {
                    if (job != null) {
                        relay.wake();
                    }
                });
    }

    // ---- helpers ----

    @FunctionalInterface
    private interface Action {
        Uni<Void> apply(Mutiny.Session session, Job job, Instant now);
    }

    private Uni<Job> act(Tenant tenant, String id, String traceparent, Action action) {
        return sessions.withTransaction(session -> session.find(Job.class, id, LockMode.PESSIMISTIC_WRITE)
                        .map(job -> owned(job, tenant, id))
                        .chain(job -> {
                            Instant now = clock.instant();
                            Snapshot before = Snapshot.of(job);
                            return action.apply(session, job, now).chain(() -> before.sameStatus(job)
                                    ? Uni.createFrom().voidItem()
                                    : session.persist(statusEvent(job, now, traceparent))).replaceWith(job);
                        }))
                .invoke(this::wakeAll);
    }

    private void wakeAll() {
        relay.wake();
        changed.fire(JobsChanged.INSTANCE);
    }

    private OutboxMessage statusEvent(Job job, Instant now, String traceparent) {
        return OutboxMessage.of(new JobStatusChanged(JobIds.eventId(job.id, "JobStatusChanged", ++job.revision), job.clusterId, now,
                job.id, job.version, job.flinkJobId, job.status, job.failureCause, job.statusReason), traceparent, now);
    }

    private JobVersion version(String jobId, int number, JobRequest request, Artifact artifact, Instant now) {
        JobVersion version = new JobVersion();
        version.id = JobVersion.idOf(jobId, number);
        version.jobId = jobId;
        version.version = number;
        version.kind = kindOf(request);
        version.sqlScript = request.script();
        version.artifactSha256 = artifact.stored().sha256();
        version.artifactSize = artifact.stored().size();
        version.artifactName = artifact.filename();
        version.entryClass = artifact.entryClass();
        version.parallelism = request.parallelism();
        version.programArgs = write(request.args() == null ? List.of() : request.args());
        version.flinkConfiguration = write(request.flinkConfiguration() == null ? Map.of() : request.flinkConfiguration());
        version.savepointPath = request.savepointPath();
        version.dependencies = write(artifact.dependencies());
        version.createdAt = now;
        return version;
    }

    /** What Flink runs the version's artifact with: a SQL job's runner gets the script. */
    public List<String> runArgs(JobVersion version) {
        return version.kind == JobKind.SQL ? List.of(SqlRunner.SCRIPT_ARGUMENT, version.sqlScript) : args(version);
    }

    private static JobKind kindOf(JobRequest request) {
        return request.type() == null ? JobKind.JAR : request.type();
    }

    /** The jars the version runs with beside its own, in classpath order. */
    public List<JobDependency> dependencies(JobVersion version) {
        return read(version.dependencies, DEPENDENCIES);
    }

    public List<String> args(JobVersion version) {
        return read(version.programArgs, STRINGS);
    }

    public Map<String, String> configuration(JobVersion version) {
        return read(version.flinkConfiguration, STRING_MAP);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored job version is not readable", e);
        }
    }

    /** The caller's cluster, able to take jobs: 404 for a missing or another tenant's, 409 for one being deleted. */
    private static Cluster runnableCluster(Cluster cluster, Tenant tenant, String id) {
        if (cluster == null || !cluster.tenant.equals(tenant.name())) {
            throw new ProblemException(404, "about:blank", "Not found", "no cluster " + id,
                    List.of(new FieldError("clusterId", "no such cluster")));
        }
        if (cluster.lifecycle != Lifecycle.ACTIVE) {
            throw new ProblemException(409, "about:blank", "Cluster is being deleted",
                    "cluster " + id + " is " + cluster.status + " and takes no jobs",
                    List.of(new FieldError("clusterId", "is " + cluster.status)));
        }
        return cluster;
    }

    /**
     * Restart, rollback and new versions run where the job runs: refused once that cluster is deleted (migrate the job
     * instead). No lock on the cluster: a deletion locks the job (the caller holds it) before it looks at it.
     */
    private static Uni<Cluster> ownClusterTakesJobs(Mutiny.Session session, Job job, String what) {
        return session.find(Cluster.class, job.clusterId).invoke(cluster -> {
            if (cluster != null && cluster.lifecycle == Lifecycle.ACTIVE) {
                return;
            }
            String status = cluster == null ? "gone" : cluster.status.toString();
            throw new ProblemException(409, "about:blank", "Cluster is being deleted",
                    "cannot " + what + ": job " + job.id + " runs on cluster " + job.clusterId + ", which is " + status
                            + "; migrate the job to another cluster (POST /api/v1/jobs/" + job.id + "/migrate)",
                    List.of(new FieldError("clusterId", "cluster " + job.clusterId + " is " + status)));
        });
    }

    /** A dependency built for another Flink line than the cluster's is refused before anything is recorded. */
    private static void runsDependencies(Cluster cluster, List<JobDependency> dependencies) {
        List<FieldError> misfits = JobDependencies.misfits(dependencies, cluster.flinkVersion(), cluster.id);
        if (!misfits.isEmpty()) {
            throw ProblemException.invalid(misfits);
        }
    }

    /** Another tenant's job is answered exactly as a missing one. */
    private static Job owned(Job job, Tenant tenant, String id) {
        if (job == null || !job.tenant.equals(tenant.name())) {
            throw ProblemException.notFound("job", id);
        }
        return job;
    }

    private record Snapshot(JobStatus status, String flinkJobId, String failureCause, String restoredFrom) {

        static Snapshot of(Job job) {
            return new Snapshot(job.status, job.flinkJobId, job.failureCause, job.restoredFrom);
        }

        /** Also a recovery: the same run RUNNING again, restored from another checkpoint, is news for the job's history. */
        boolean sameStatus(Job job) {
            return status == job.status && Objects.equals(flinkJobId, job.flinkJobId) && Objects.equals(failureCause, job.failureCause)
                    && Objects.equals(restoredFrom, job.restoredFrom);
        }
    }
}
