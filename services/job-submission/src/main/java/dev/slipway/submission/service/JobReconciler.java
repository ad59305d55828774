package dev.slipway.submission.service;

import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.submission.Cluster;
import dev.slipway.submission.Job;
import dev.slipway.submission.JobSavepoint;
import dev.slipway.submission.JobVersion;
import dev.slipway.submission.artifact.ArtifactStore;
import dev.slipway.submission.artifact.JobBundle;
import dev.slipway.submission.client.FlinkRestClient;
import dev.slipway.submission.client.FlinkRestClient.FlinkError;
import dev.slipway.submission.client.JobManagerLocator;
import dev.slipway.submission.cluster.ClusterStatus;
import dev.slipway.submission.cluster.Lifecycle;
import dev.slipway.submission.config.SubmissionConfig;
import dev.slipway.submission.job.AutoRestartPolicy;
import dev.slipway.submission.job.CheckpointRetirement;
import dev.slipway.submission.job.CompletedCheckpoints;
import dev.slipway.submission.job.FlinkStates;
import dev.slipway.submission.job.JobDependency;
import dev.slipway.submission.job.JobIds;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.job.Operation;
import dev.slipway.submission.job.RootCause;
import dev.slipway.submission.job.RunConfiguration;
import dev.slipway.submission.job.SavepointRetention;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Carries out the jobs' actions against their clusters' JobManagers and follows their runs: submits
 * (upload the jar, run it with the platform's Flink job id) once the cluster is RUNNING, cancels,
 * triggers savepoints and stops, and reads each live run's state (with Flink's failure cause) into the
 * job, publishing the changes through the outbox.
 *
 * <p>Runs on its own thread, so the blocking calls to Flink (JDK HttpClient) never hold the event loop;
 * the database is reached through the reactive session on a Vert.x context, as the status follower does.
 * One instance reconciles at a time (a PostgreSQL session advisory lock held while it leads). Every step
 * is safe to repeat after a crash: runs and savepoint triggers carry ids the platform derived, so Flink
 * recognises a repeated one, and an outcome is recorded only if the job is still as the step read it.
 */
@ApplicationScoped
public class JobReconciler {

    private static final Logger LOG = Logger.getLogger(JobReconciler.class);
    /** PostgreSQL advisory lock key of the leading reconciler ("slipway jobs"). */
    static final long LEADER_LOCK = 0x5_1177_0b05L;
    private static final int MAX_REASON = 1000;
    /** The platform's default {@code execution.checkpointing.interval} (libs/provisioning FlinkProcessConfiguration). */
    static final Duration CHECKPOINT_READ_INTERVAL = Duration.ofSeconds(10);

    private final JobService jobs;
    private final FlinkRestClient flink;
    private final JobManagerLocator locator;
    private final ArtifactStore artifacts;
    private final DataSource dataSource;
    private final SubmissionConfig.Jobs config;
    private final Clock clock;
    private final String savepointRoot;
    private final String checkpointRoot;
    private final AutoRestartPolicy autoRestart;
    private final Semaphore wakeUp = new Semaphore(0);
    /** Runs seen ended whose end waits for Flink's word on their latest checkpoint, with when they were first seen so. */
    private final Map<String, Instant> endedRuns = new ConcurrentHashMap<>();
    /** Runs by when their latest checkpoint was last read while they ran: a read per run per interval, not per pass. */
    private final Map<String, Instant> checkpointReads = new ConcurrentHashMap<>();
    /** Job id to what the job was when nothing was left to dispose of: nothing to look at until it changes. */
    private final Map<String, RetentionLook> retentionLooks = new ConcurrentHashMap<>();
    private volatile boolean running;
    private Thread thread;
    private Connection leaderConnection;

    public JobReconciler(JobService jobs, FlinkRestClient flink, JobManagerLocator locator, ArtifactStore artifacts,
            DataSource dataSource, SubmissionConfig config, Clock clock) {
        this.jobs = jobs;
        this.flink = flink;
        this.locator = locator;
        this.artifacts = artifacts;
        this.dataSource = dataSource;
        this.config = config.jobs();
        this.clock = clock;
        this.autoRestart = new AutoRestartPolicy(config.jobs().autoRestart().maxAttempts(), config.jobs().autoRestart().window(),
                config.jobs().autoRestart().initialBackoff());
        this.savepointRoot = config.jobs().savepointDir()
                .orElseGet(() -> artifacts.root().resolve("savepoints").toUri().toString())
                .replaceAll("/+$", "");
        // Beside the savepoints: on the same shared file system when one is configured for them.
        this.checkpointRoot = config.jobs().checkpointDir()
                .orElseGet(() -> config.jobs().savepointDir().isPresent() ? savepointRoot + "/checkpoints"
                        : artifacts.root().resolve("checkpoints").toUri().toString())
                .replaceAll("/+$", "");
    }

    void onStart(@Observes StartupEvent event) {
        if (config.reconcilerEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        jobs.onReconcilerWake(this::wake);
        thread = new Thread(this::run, "job-reconciler");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        wake();
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        releaseLeadership();
    }

    /** Look at the jobs now rather than at the next poll (after an action was recorded). Never blocks. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /** The savepoint directory of a job: {@code <savepoint-dir>/<job id>}. */
    public String savepointDirectory(String jobId) {
        return savepointRoot + "/" + jobId;
    }

    /** The checkpoint directory of a job's runs: {@code <checkpoint-dir>/<job id>} (Flink adds the Flink job id). */
    public String checkpointDirectory(String jobId) {
        return checkpointRoot + "/" + jobId;
    }

    private void run() {
        while (running) {
            try {
                if (lead()) {
                    reconcileOnce();
                }
            } catch (Throwable e) {
                LOG.warnf("job reconciler: the pass failed and is tried again: %s", e.toString());
            }
            try {
                wakeUp.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One pass over the jobs that need it. */
    public void reconcileOnce() throws Throwable {
        List<Job> active = await(jobs::active);
        Map<String, String> urls = new HashMap<>();
        Map<String, Cluster> clusters = new HashMap<>();
        List<Job> ended = await(() -> jobs.endedWithSavepointsBeyond(config.savepointsKept()));
        List<String> activeRuns = active.stream().map(job -> job.flinkJobId).filter(Objects::nonNull).toList();
        endedRuns.keySet().retainAll(activeRuns);
        checkpointReads.keySet().retainAll(activeRuns);
        retentionLooks.keySet().retainAll(Stream.concat(active.stream(), ended.stream()).map(job -> job.id).toList());
        for (Job job : active) {
            if (!running) {
                return;
            }
            try {
                reconcile(job, urls, clusters);
            } catch (IOException e) {
                // The JobManager or the provisioner did not answer: say so, try again at the next pass.
                unreachable(job, e, clusters);
                urls.remove(clusterOfStep(job));
            }
        }
        for (Job job : ended) {
            if (!running) {
                return;
            }
            retainSavepointsOfEndedJob(job, urls, clusters);
        }
    }

    /**
     * The JobManager did not answer (gone, not elected yet, or not there yet). A run of a cluster with high availability lives
     * on in its store, and a JobManager that leads again recovers it: the job is RECOVERING meanwhile. Otherwise the reason is
     * noted and the next pass tries again.
     */
    private void unreachable(Job job, IOException e, Map<String, Cluster> clusters) throws Throwable {
        // A refused connection has no message of its own: name the exception then.
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (job.operation == Operation.NONE && job.flinkRunAlive()) {
            Cluster own = cluster(job.clusterId, clusters);
            if (!deleted(own) && own.highAvailability()) {
                String reason = shorten("the JobManager of cluster " + job.clusterId + " is being replaced or re-elected (" + what
                        + "); the run lives on in the cluster's high-availability store and resumes from its latest checkpoint once"
                        + " a JobManager leads");
                record(job, (j, now, effects) -> JobTransitions.recovering(j, reason, now));
                return;
            }
        }
        note(job, "could not reach the JobManager of cluster " + clusterOfStep(job) + ": " + what);
    }

    /**
     * A job whose run ended keeps its newest savepoints too: the others are disposed of through its cluster's JobManager
     * while the cluster is there. Without a JobManager they wait (its status is not touched: the job itself is fine).
     */
    private void retainSavepointsOfEndedJob(Job job, Map<String, String> urls, Map<String, Cluster> clusters) throws Throwable {
        if (!retentionDue(job)) {
            return; // looked at as it is now, before its cluster and JobManager are looked up
        }
        if (deleted(cluster(job.clusterId, clusters))) {
            return; // nothing may dispose of them now; they stay as they are
        }
        try {
            retainSavepoints(job, url(job.clusterId, urls));
        } catch (IOException e) {
            LOG.debugf("job %s: its savepoints wait for the JobManager of cluster %s: %s", job.id, job.clusterId, e.toString());
            urls.remove(job.clusterId);
        }
    }

    private void reconcile(Job job, Map<String, String> urls, Map<String, Cluster> clusters) throws Throwable {
        Job current = job;
        Cluster own = cluster(current.clusterId, clusters);
        if (current.operation != Operation.SUBMIT && deleted(own)) {
            // Its JobManager goes with the cluster's pods: the run would otherwise stay RUNNING here forever.
            String reason = "cluster " + current.clusterId + " was deleted (" + (own == null ? "gone" : own.status)
                    + "); the job's run ended with it";
            record(current, (j, now, effects) -> JobTransitions.clusterDeleted(j, j.clusterId, reason, now));
            return;
        }
        switch (current.operation) {
            case SUBMIT -> {
                submit(current, urls, clusters);
                return; // the new run is followed from the next pass
            }
            case CANCEL -> current = cancel(current, url(current.clusterId, urls));
            case SAVEPOINT, STOP -> current = savepoint(current, url(current.clusterId, urls));
            case NONE -> {
            }
        }
        if (current != null && current.flinkRunAlive()) {
            String url = url(current.clusterId, urls);
            follow(current, url, own);
            retainSavepoints(current, url);
            disposeRetiredCheckpoint(current, url);
        }
    }

    /**
     * What decides which of a job's savepoints stay, as far as the job itself goes: its latest savepoint, its run and what that
     * run restored from. Another savepoint, or a new run that no longer starts from an old one, may leave one to dispose of.
     */
    private record RetentionLook(Instant latestSavepointAt, int runs, String restoredFrom) {

        static RetentionLook of(Job job) {
            return new RetentionLook(job.latestSavepointAt, job.runs, job.restoredFrom);
        }
    }

    /** Nothing is asked of the job, and it changed since retention last found nothing to dispose of. */
    private boolean retentionDue(Job job) {
        return job.operation == Operation.NONE && !RetentionLook.of(job).equals(retentionLooks.get(job.id));
    }

    /**
     * Disposes of the job's savepoints beyond the newest {@code savepoints-kept} through its cluster's JobManager, one step
     * of each per pass (trigger, then read the outcome). Looks again only once the job took a newer savepoint or started
     * another run.
     */
    private void retainSavepoints(Job job, String url) throws Throwable {
        if (!retentionDue(job)) {
            return;
        }
        RetentionLook look = RetentionLook.of(job);
        List<JobSavepoint> savepoints = await(() -> jobs.savepoints(job.id));
        // What this job or another (given the path at its creation or with a new version) may still start from stays.
        List<String> there = savepoints.stream().filter(JobSavepoint::kept).map(savepoint -> savepoint.path).toList();
        Set<String> inUse = there.isEmpty() ? Set.of() : await(() -> jobs.startPoints(there));
        List<JobSavepoint> surplus = SavepointRetention.toDispose(savepoints, inUse, config.savepointsKept());
        if (surplus.isEmpty()) {
            retentionLooks.put(job.id, look);
            return;
        }
        for (JobSavepoint savepoint : surplus) {
            try {
                dispose(job, savepoint, url);
            } catch (IOException e) {
                // The job's run is fine; its savepoints wait for the next pass.
                LOG.infof("job %s: disposing of savepoint %s is tried again at the next pass: %s", job.id, savepoint.path,
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                return;
            }
        }
    }

    private void dispose(Job job, JobSavepoint savepoint, String url) throws Throwable {
        DisposalStep step = DisposalStep.next(flink, url, savepoint.path, savepoint.disposalTrigger);
        switch (step.kind()) {
            case TRIGGERED -> {
                LOG.infof("job %s: disposing of savepoint %s (only the newest %d are kept)", job.id, savepoint.path,
                        config.savepointsKept());
                await(() -> jobs.updateSavepoint(savepoint.id, s -> s.disposalTrigger = step.trigger()));
            }
            case FORGOTTEN -> await(() -> jobs.updateSavepoint(savepoint.id, s -> s.disposalTrigger = null));
            case REFUSED -> disposalFailed(job, savepoint, step.failure());
            case DISPOSED -> {
                Instant now = clock.instant();
                await(() -> jobs.updateSavepoint(savepoint.id, s -> {
                    s.disposalTrigger = null;
                    s.disposedAt = now;
                }));
            }
            case PENDING -> {
            }
        }
    }

    /**
     * Disposes of the first checkpoint on the job's disposal list (one an earlier run retained that nothing of the job starts
     * from any more) through its cluster's JobManager, one step per pass: trigger, then read the outcome. One another job may
     * start from is taken off the list and stays.
     */
    private void disposeRetiredCheckpoint(Job job, String url) throws Throwable {
        List<String> waiting = CheckpointRetirement.disposals(job);
        if (waiting.isEmpty() || job.operation != Operation.NONE) {
            return;
        }
        String path = waiting.get(0);
        if (job.checkpointDisposalTrigger == null
                && (CheckpointRetirement.needed(job, path) || await(() -> jobs.startPoints(List.of(path))).contains(path))) {
            record(job, (j, now, effects) -> CheckpointRetirement.done(j, path));
            return;
        }
        DisposalStep step = DisposalStep.next(flink, url, path, job.checkpointDisposalTrigger);
        switch (step.kind()) {
            case TRIGGERED -> {
                LOG.infof("job %s: disposing of checkpoint %s, which an earlier run retained and nothing starts from any more",
                        job.id, path);
                record(job, (j, now, effects) -> j.checkpointDisposalTrigger = step.trigger());
            }
            case FORGOTTEN -> record(job, (j, now, effects) -> j.checkpointDisposalTrigger = null);
            case REFUSED -> {
                LOG.warnf("job %s: Flink could not dispose of checkpoint %s; it stays where it is: %s", job.id, path,
                        shorten(step.failure()));
                record(job, (j, now, effects) -> CheckpointRetirement.done(j, path));
            }
            case DISPOSED -> record(job, (j, now, effects) -> CheckpointRetirement.done(j, path));
            case PENDING -> {
            }
        }
    }

    private void disposalFailed(Job job, JobSavepoint savepoint, String failure) throws Throwable {
        String reason = shorten(failure);
        LOG.warnf("job %s: Flink could not dispose of savepoint %s; it stays where it is: %s", job.id, savepoint.path, reason);
        await(() -> jobs.updateSavepoint(savepoint.id, s -> {
            s.disposalTrigger = null;
            s.disposalError = reason;
        }));
    }

    private void submit(Job read, Map<String, String> urls, Map<String, Cluster> clusters) throws Throwable {
        Cluster cluster = cluster(read.opClusterId, clusters);
        if (deleted(cluster)) {
            record(read, (j, now, effects) -> JobTransitions.clusterDeleted(j, j.opClusterId, "cluster " + j.opClusterId
                    + " was deleted before the job was submitted there", now));
            return;
        }
        if (read.opNotBefore != null && clock.instant().isBefore(read.opNotBefore)) {
            return; // an automatic restart's back-off; its reason says when and from where
        }
        if (cluster.status != ClusterStatus.RUNNING) {
            note(read, "waiting for cluster " + cluster.id + " to be RUNNING (it is " + cluster.status
                    + (cluster.statusReason == null ? "" : ": " + cluster.statusReason) + ")");
            return;
        }
        Job job = withLatestCheckpoint(read, urls, clusters);
        if (job == null) {
            return; // changed meanwhile; the next pass reads it again
        }
        String url = url(cluster.id, urls);
        JobVersion version = await(() -> jobs.version(job.id, job.opVersion));
        String flinkJobId = JobIds.flinkJobId(job.id, job.runs + 1);
        String restore = job.opRestorePath;
        if (flink.jobState(url, flinkJobId).isEmpty()) { // else Flink has the run already (a pass that crashed after it)
            Path jar = artifacts.path(version.artifactSha256);
            List<JobBundle.Library> libraries = new ArrayList<>();
            for (JobDependency dependency : jobs.dependencies(version)) {
                libraries.add(new JobBundle.Library(dependency.file(), artifacts.path(dependency.sha256())));
            }
            for (Path needed : Stream.concat(Stream.of(jar), libraries.stream().map(JobBundle.Library::path)).toList()) {
                if (!Files.exists(needed)) {
                    record(job, (j, now, effects) -> JobTransitions.submissionFailed(j, "a jar of version " + version.version
                            + " is missing from the artifact store (" + needed + "); submit the version again", now));
                    return;
                }
            }
            String jarId = upload(url, jar, version.artifactName == null ? "job.jar" : version.artifactName, libraries);
            try {
                flink.run(url, jarId, new FlinkRestClient.Run(version.entryClass, version.parallelism, jobs.runArgs(version),
                        RunConfiguration.of(jobs.configuration(version), checkpointDirectory(job.id)), restore, flinkJobId));
            } catch (FlinkError refused) {
                if (flink.jobState(url, flinkJobId).isEmpty()) {
                    String why = RootCause.first(explained(url, refused));
                    LOG.infof("job %s: Flink refused version %d: %s", job.id, version.version, why);
                    record(job, (j, now, effects) -> JobTransitions.submissionFailed(j, shorten(why), now));
                    return;
                }
            } finally {
                flink.deleteJar(url, jarId);
            }
        }
        Job recorded = record(job, (j, now, effects) -> {
            JobTransitions.submitted(j, flinkJobId, now);
            effects.submitted(version, restore);
        });
        if (recorded == null) {
            // The job was cancelled while its run was being submitted: that run is nobody's, end it.
            LOG.infof("job %s changed while run %s was submitted; cancelling that run", job.id, flinkJobId);
            flink.cancel(url, flinkJobId);
        } else {
            LOG.infof("job %s: version %d runs on cluster %s as Flink job %s%s", job.id, version.version, cluster.id, flinkJobId,
                    restore == null ? "" : " from " + job.opRestoreKind + " " + restore);
        }
    }

    /** Uploads the version's jar, bundled with its dependencies when it has any ({@link JobBundle}); answers Flink's jar id. */
    private String upload(String url, Path jar, String name, List<JobBundle.Library> libraries) throws IOException {
        if (libraries.isEmpty()) {
            return flink.uploadJar(url, jar, name);
        }
        Path bundle = Files.createTempFile("slipway-bundle-", ".jar");
        try {
            JobBundle.write(jar, libraries, bundle);
            return flink.uploadJar(url, bundle, name);
        } finally {
            Files.deleteIfExists(bundle);
        }
    }

    /**
     * Flink's refusal, and, when its answer says only "Internal server error." (an unhandled error in the JobManager, such as
     * a class the job needs that the cluster lacks), the exception the JobManager logged for it.
     */
    private String explained(String url, FlinkError refused) {
        String message = refused.getMessage();
        if (message == null || !message.contains("Internal server error")) {
            return message;
        }
        try {
            String logged = RootCause.lastLogged(flink.jobManagerLogTail(url, 256 * 1024));
            return logged == null ? message : logged + "\n(from the JobManager's log; Flink answered: " + message + ")";
        } catch (IOException unreadable) {
            return message;
        }
    }

    private Job cancel(Job job, String url) throws Throwable {
        if (job.opTriggerId != null) {
            return job; // sent; the run's end is what follow() waits for
        }
        flink.cancel(url, job.flinkJobId);
        return record(job, (j, now, effects) -> j.opTriggerId = "cancel-sent");
    }

    private Job savepoint(Job job, String url) throws Throwable {
        boolean stop = job.operation == Operation.STOP;
        if (job.opTriggerId == null) {
            String triggerId = JobIds.triggerId(job.id, job.opSeq);
            String directory = savepointDirectory(job.id);
            try {
                if (stop) {
                    flink.stopWithSavepoint(url, job.flinkJobId, directory, triggerId);
                } else {
                    flink.triggerSavepoint(url, job.flinkJobId, directory, triggerId);
                }
            } catch (FlinkError refused) {
                return record(job, (j, now, effects) -> JobTransitions.failed(j, shorten(refused.getMessage()), now));
            }
            return record(job, (j, now, effects) -> j.opTriggerId = triggerId);
        }
        if (stop && job.opRestorePath != null) {
            return job; // taken; waiting for the run to end
        }
        FlinkRestClient.SavepointStatus status;
        try {
            status = flink.savepointStatus(url, job.flinkJobId, job.opTriggerId);
        } catch (FlinkError unknown) {
            return record(job, (j, now, effects) -> JobTransitions.failed(j, shorten(unknown.getMessage()), now));
        }
        if (!status.completed()) {
            if (job.opStartedAt != null && clock.instant().isAfter(job.opStartedAt.plus(config.savepointTimeout()))) {
                return record(job, (j, now, effects) -> JobTransitions.failed(j,
                        "the savepoint did not complete within " + config.savepointTimeout(), now));
            }
            return job;
        }
        if (status.location() == null) {
            return record(job, (j, now, effects) -> JobTransitions.failed(j, "the savepoint failed: " + shorten(status.failure()), now));
        }
        String trigger = job.opTriggerId;
        LOG.infof("job %s: savepoint %s", job.id, status.location());
        return record(job, (j, now, effects) -> {
            effects.savepoint(stop ? JobSavepoint.STOPPED : JobSavepoint.TRIGGERED, status.location(), trigger);
            JobTransitions.savepointCompleted(j, status.location(), now);
        });
    }

    /**
     * Reads the run's state into the job (with Flink's failure cause when it fails), follows a recovery by a new JobManager,
     * and records the run's latest completed checkpoint while it runs.
     */
    private void follow(Job job, String url, Cluster cluster) throws Throwable {
        Optional<String> state = flink.jobState(url, job.flinkJobId);
        if (state.isEmpty()) {
            lose(job, cluster);
            return;
        }
        Optional<JobStatus> status = FlinkStates.of(state.get());
        if (status.isEmpty()) {
            return;
        }
        JobStatus observed = status.get();
        if (job.status == JobStatus.RECOVERING && !observed.terminal()) {
            followRecovery(job, url, observed, state.get());
            return;
        }
        if (observed == JobStatus.RUNNING) {
            recordLatestCheckpoint(job, url);
        }
        boolean failing = observed == JobStatus.FAILING || observed == JobStatus.FAILED;
        if (observed == job.status && !(failing && job.failureCause == null) && job.statusReason == null) {
            return;
        }
        // A run that failed or was cancelled leaves its latest checkpoint behind (retained on cancellation): a restart may use it.
        Optional<FlinkRestClient.Checkpoint> checkpoint = Optional.empty();
        if (observed == JobStatus.FAILED || observed == JobStatus.CANCELED) {
            FlinkRestClient.LatestCheckpoint latest = retainedCheckpoint(url, job);
            if (latest.discarded() && !settled(job, observed)) {
                return; // maybe a cached answer from before the run's last checkpoint: the run's end is recorded once it is read
            }
            checkpoint = latest.retained();
        }
        String cause = failing ? RootCause.first(flink.failureCause(url, job.flinkJobId)) : null;
        Optional<FlinkRestClient.Checkpoint> retained = checkpoint;
        endedRuns.remove(job.flinkJobId);
        record(job, (j, now, effects) -> {
            JobTransitions.observed(j, observed, cause, now);
            retained.ifPresent(c -> JobTransitions.checkpointRetained(j, c.path(), c.completedAt(), now));
        });
    }

    /**
     * A JobManager leads again and knows the run (recovered from the cluster's high-availability store): RECOVERING until all
     * of it runs, then RUNNING with the checkpoint it restored from.
     */
    private void followRecovery(Job job, String url, JobStatus observed, String flinkState) throws Throwable {
        if (observed != JobStatus.RUNNING) {
            String reason = "a JobManager leads again and recovers the run (Flink: " + flinkState + ")";
            record(job, (j, now, effects) -> JobTransitions.recovering(j, reason, now));
            return;
        }
        String checkpoint = flink.restoredCheckpoint(url, job.flinkJobId).orElse(null);
        LOG.infof("job %s: run %s recovered by a new JobManager of cluster %s from %s", job.id, job.flinkJobId, job.clusterId,
                checkpoint == null ? "no checkpoint" : "checkpoint " + checkpoint);
        record(job, (j, now, effects) -> JobTransitions.recovered(j, checkpoint, now));
    }

    /**
     * The JobManager answers but no longer knows the run: its cluster ran without high availability (a new JobManager knows
     * no job), or the HA data is gone. The job restarts from the newest checkpoint the run left on storage, within the
     * automatic restart policy, or fails saying why it did not.
     */
    private void lose(Job job, Cluster cluster) throws Throwable {
        String cause = "the JobManager of cluster " + job.clusterId + " no longer knows Flink job " + job.flinkJobId
                + (cluster != null && cluster.highAvailability() ? " (its high-availability data is gone)"
                        : " (it was replaced, and the cluster runs without high availability)");
        Optional<CompletedCheckpoints.Found> newest = CompletedCheckpoints.newest(checkpointDirectory(job.id) + "/" + job.flinkJobId);
        Job recorded = record(job, (j, now, effects) -> {
            newest.ifPresent(found -> JobTransitions.checkpointRetained(j, found.path(), found.completedAt(), now));
            JobTransitions.lost(j, cause, autoRestart, now);
        });
        if (recorded != null) {
            LOG.warnf("job %s: %s", job.id, recorded.statusReason);
        }
    }

    /**
     * While the run runs, its newest completed checkpoint is the job's latest known one: what a lost run restarts from. Read
     * at most every {@link #CHECKPOINT_READ_INTERVAL}, the platform's default checkpoint interval: more often finds nothing new.
     */
    private void recordLatestCheckpoint(Job job, String url) throws Throwable {
        Instant readAt = clock.instant();
        Instant lastRead = checkpointReads.get(job.flinkJobId);
        if (lastRead != null && readAt.isBefore(lastRead.plus(CHECKPOINT_READ_INTERVAL))) {
            return;
        }
        checkpointReads.put(job.flinkJobId, readAt);
        Optional<FlinkRestClient.Checkpoint> latest = retainedCheckpoint(url, job).retained();
        if (latest.isPresent() && JobTransitions.newerCheckpoint(job, latest.get().path(), latest.get().completedAt())) {
            record(job, (j, now, effects) -> JobTransitions.checkpointRetained(j, latest.get().path(), latest.get().completedAt(), now));
        }
    }

    /**
     * Whether Flink had long enough, since this run was first seen ended, to stop naming a discarded checkpoint as its latest:
     * after {@code checkpoint-settle-timeout} the discarded one is taken at its word (the run retained none).
     */
    private boolean settled(Job job, JobStatus observed) {
        Instant now = clock.instant();
        Instant firstSeen = endedRuns.computeIfAbsent(job.flinkJobId, run -> now);
        if (now.isBefore(firstSeen.plus(config.checkpointSettleTimeout()))) {
            return false;
        }
        LOG.infof("job %s: run %s is %s and Flink still names a discarded checkpoint as its latest after %s: no checkpoint of it"
                + " was retained", job.id, job.flinkJobId, observed, config.checkpointSettleTimeout());
        return true;
    }

    /**
     * A SUBMIT that restores from the newest point: asks the JobManager of the previous run for its latest retained checkpoint
     * first (the run may have ended before it was read, or was read before the checkpoint was). Null when the job changed.
     */
    private Job withLatestCheckpoint(Job job, Map<String, String> urls, Map<String, Cluster> clusters) throws Throwable {
        if (!job.opRestoreLatest || job.flinkJobId == null || deleted(cluster(job.clusterId, clusters))) {
            return job; // nothing to ask, or nobody left to answer: what is recorded will do
        }
        Optional<FlinkRestClient.Checkpoint> checkpoint;
        try {
            // A discarded one: what the end of the run recorded will do.
            checkpoint = retainedCheckpoint(url(job.clusterId, urls), job).retained();
        } catch (IOException unreachable) {
            // The previous run's JobManager is gone (a deleted cluster, a replaced JobManager): what is recorded will do.
            LOG.debugf("job %s: no checkpoint of run %s could be read: %s", job.id, job.flinkJobId, unreachable.getMessage());
            return job;
        }
        if (checkpoint.isEmpty() || !JobTransitions.newerCheckpoint(job, checkpoint.get().path(), checkpoint.get().completedAt())) {
            return job;
        }
        return record(job, (j, now, effects) -> JobTransitions.checkpointRetained(j, checkpoint.get().path(),
                checkpoint.get().completedAt(), now));
    }

    private FlinkRestClient.LatestCheckpoint retainedCheckpoint(String url, Job job) {
        try {
            return flink.latestCheckpoint(url, job.flinkJobId);
        } catch (IOException e) {
            LOG.infof("job %s: the latest checkpoint of run %s could not be read: %s", job.id, job.flinkJobId, e.getMessage());
            return FlinkRestClient.LatestCheckpoint.NONE;
        }
    }

    private Cluster cluster(String id, Map<String, Cluster> clusters) throws Throwable {
        if (!clusters.containsKey(id)) {
            clusters.put(id, await(() -> jobs.cluster(id)));
        }
        return clusters.get(id);
    }

    private static boolean deleted(Cluster cluster) {
        return cluster == null || cluster.lifecycle != Lifecycle.ACTIVE;
    }

    private String url(String clusterId, Map<String, String> urls) throws IOException {
        String url = urls.get(clusterId);
        if (url == null) {
            url = locator.restUrl(clusterId);
            urls.put(clusterId, url);
        }
        return url;
    }

    private void note(Job job, String reason) throws Throwable {
        String shortened = shorten(reason);
        if (!shortened.equals(job.statusReason)) {
            record(job, (j, now, effects) -> JobTransitions.waiting(j, shortened, now));
        }
    }

    private Job record(Job job, JobService.Change change) throws Throwable {
        return await(() -> jobs.update(job, change));
    }

    private static String clusterOfStep(Job job) {
        return job.operation == Operation.SUBMIT && job.opClusterId != null ? job.opClusterId : job.clusterId;
    }

    private static <T> T await(Supplier<Uni<T>> uni) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(uni);
    }

    private static String shorten(String text) {
        if (text == null) {
            return "unknown";
        }
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }

    // ---- leadership ----

    private boolean lead() {
        try {
            if (leaderConnection != null && leaderConnection.isValid(2)) {
                return true;
            }
            releaseLeadership();
            Connection connection = dataSource.getConnection();
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
                lock.setLong(1, LEADER_LOCK);
                try (ResultSet locked = lock.executeQuery()) {
                    if (locked.next() && locked.getBoolean(1)) {
                        leaderConnection = connection;
                        LOG.info("job reconciler: this instance leads");
                        return true;
                    }
                }
            }
            connection.close();
            return false;
        } catch (SQLException e) {
            LOG.warnf("job reconciler: cannot take the lead: %s", e.toString());
            releaseLeadership();
            return false;
        }
    }

    private synchronized void releaseLeadership() {
        if (leaderConnection != null) {
            try (Connection connection = leaderConnection;
                    PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(?)")) {
                // A pooled connection outlives close(): the lock is released explicitly.
                unlock.setLong(1, LEADER_LOCK);
                unlock.execute();
            } catch (SQLException ignored) {
                // gone already
            }
            leaderConnection = null;
        }
    }
}
