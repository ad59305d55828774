package dev.slipway.submission.reconcile;

import dev.slipway.submission.Job;
import dev.slipway.submission.JobSavepoint;
import dev.slipway.submission.client.FlinkRestClient;
import dev.slipway.submission.config.SubmissionConfig;
import dev.slipway.submission.job.CheckpointRetirement;
import dev.slipway.submission.job.Operation;
import dev.slipway.submission.job.SavepointRetention;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Disposes of state nothing starts from any more through the cluster's JobManager: a job's savepoints beyond the newest
 * {@code savepoints-kept} (while it runs and after its run ended), and the checkpoints earlier runs retained. One step of each
 * per pass (trigger, then read the outcome); what another job may start from always stays.
 */
@ApplicationScoped
public class StateDisposer {

    private static final Logger LOG = Logger.getLogger(StateDisposer.class);

    private final BlockingJobs jobs;
    private final FlinkRestClient flink;
    private final SubmissionConfig.Jobs config;
    private final Clock clock;
    /** Job id to what the job was when nothing was left to dispose of: nothing to look at until it changes. */
    private final Map<String, RetentionLook> retentionLooks = new ConcurrentHashMap<>();

    public StateDisposer(BlockingJobs jobs, FlinkRestClient flink, SubmissionConfig config, Clock clock) {
        this.jobs = jobs;
        this.flink = flink;
        this.config = config.jobs();
        this.clock = clock;
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

    /** Forgets what it remembers of jobs it no longer looks at. */
    void retainJobs(Collection<String> jobIds) {
        retentionLooks.keySet().retainAll(jobIds);
    }

    /** Nothing is asked of the job, and it changed since retention last found nothing to dispose of. */
    boolean retentionDue(Job job) {
        return job.operation == Operation.NONE && !RetentionLook.of(job).equals(retentionLooks.get(job.id));
    }

    /**
     * A job whose run ended keeps its newest savepoints too: the others are disposed of through its cluster's JobManager
     * while the cluster is there. Without a JobManager they wait (its status is not touched: the job itself is fine).
     */
    void retainSavepointsOfEndedJob(Job job, PassContext pass) {
        if (!retentionDue(job)) {
            return; // looked at as it is now, before its cluster and JobManager are looked up
        }
        if (PassContext.deleted(pass.cluster(job.clusterId))) {
            return; // nothing may dispose of them now; they stay as they are
        }
        try {
            retainSavepoints(job, pass.url(job.clusterId));
        } catch (IOException e) {
            LOG.debugf("job %s: its savepoints wait for the JobManager of cluster %s: %s", job.id, job.clusterId, e.toString());
            pass.unreachable(job.clusterId);
        }
    }

    /**
     * Disposes of the job's savepoints beyond the newest {@code savepoints-kept} through its cluster's JobManager, one step
     * of each per pass (trigger, then read the outcome). Looks again only once the job took a newer savepoint or started
     * another run.
     */
    void retainSavepoints(Job job, String url) {
        if (!retentionDue(job)) {
            return;
        }
        RetentionLook look = RetentionLook.of(job);
        List<JobSavepoint> savepoints = jobs.await(() -> jobs.service().savepoints(job.id));
        // What this job or another (given the path at its creation or with a new version) may still start from stays.
        List<String> there = savepoints.stream().filter(JobSavepoint::kept).map(savepoint -> savepoint.path).toList();
        Set<String> inUse = there.isEmpty() ? Set.of() : jobs.await(() -> jobs.service().startPoints(there));
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

    private void dispose(Job job, JobSavepoint savepoint, String url) throws IOException {
        DisposalStep step = DisposalStep.next(flink, url, savepoint.path, savepoint.disposalTrigger);
        switch (step.kind()) {
            case TRIGGERED -> {
                LOG.infof("job %s: disposing of savepoint %s (only the newest %d are kept)", job.id, savepoint.path,
                        config.savepointsKept());
                jobs.await(() -> jobs.service().updateSavepoint(savepoint.id, s -> s.disposalTrigger = step.trigger()));
            }
            case FORGOTTEN -> jobs.await(() -> jobs.service().updateSavepoint(savepoint.id, s -> s.disposalTrigger = null));
            case REFUSED -> disposalFailed(job, savepoint, step.failure());
            case DISPOSED -> {
                Instant now = clock.instant();
                jobs.await(() -> jobs.service().updateSavepoint(savepoint.id, s -> {
                    s.disposalTrigger = null;
                    s.disposedAt = now;
                }));
            }
            case PENDING -> {
            }
        }
    }

    private void disposalFailed(Job job, JobSavepoint savepoint, String failure) {
        String reason = BlockingJobs.shorten(failure);
        LOG.warnf("job %s: Flink could not dispose of savepoint %s; it stays where it is: %s", job.id, savepoint.path, reason);
        jobs.await(() -> jobs.service().updateSavepoint(savepoint.id, s -> {
            s.disposalTrigger = null;
            s.disposalError = reason;
        }));
    }

    /**
     * Disposes of the first checkpoint on the job's disposal list (one an earlier run retained that nothing of the job starts
     * from any more) through its cluster's JobManager, one step per pass: trigger, then read the outcome. One another job may
     * start from is taken off the list and stays.
     */
    void disposeRetiredCheckpoint(Job job, String url) throws IOException {
        List<String> waiting = CheckpointRetirement.disposals(job);
        if (waiting.isEmpty() || job.operation != Operation.NONE) {
            return;
        }
        String path = waiting.get(0);
        if (job.checkpointDisposalTrigger == null && (CheckpointRetirement.needed(job, path)
                || jobs.await(() -> jobs.service().startPoints(List.of(path))).contains(path))) {
            jobs.record(job, (j, now, effects) -> CheckpointRetirement.done(j, path));
            return;
        }
        DisposalStep step = DisposalStep.next(flink, url, path, job.checkpointDisposalTrigger);
        switch (step.kind()) {
            case TRIGGERED -> {
                LOG.infof("job %s: disposing of checkpoint %s, which an earlier run retained and nothing starts from any more",
                        job.id, path);
                jobs.record(job, (j, now, effects) -> j.checkpointDisposalTrigger = step.trigger());
            }
            case FORGOTTEN -> jobs.record(job, (j, now, effects) -> j.checkpointDisposalTrigger = null);
            case REFUSED -> {
                LOG.warnf("job %s: Flink could not dispose of checkpoint %s; it stays where it is: %s", job.id, path,
                        BlockingJobs.shorten(step.failure()));
                jobs.record(job, (j, now, effects) -> CheckpointRetirement.done(j, path));
            }
            case DISPOSED -> jobs.record(job, (j, now, effects) -> CheckpointRetirement.done(j, path));
            case PENDING -> {
            }
        }
    }
}
