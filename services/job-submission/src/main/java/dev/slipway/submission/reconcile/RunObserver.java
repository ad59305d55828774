package dev.slipway.submission.reconcile;

import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.submission.Cluster;
import dev.slipway.submission.Job;
import dev.slipway.submission.client.FlinkRestClient;
import dev.slipway.submission.config.SubmissionConfig;
import dev.slipway.submission.job.AutoRestartPolicy;
import dev.slipway.submission.job.CompletedCheckpoints;
import dev.slipway.submission.job.FlinkStates;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.job.RootCause;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Observes the jobs' runs: reads each live run's state from its JobManager (with Flink's failure cause, the checkpoint it
 * retained or restored from) and records what it saw into the job. Asks Flink nothing to change; the actions are
 * {@link RunSubmitter}'s and {@link RunOperations}'.
 */
@ApplicationScoped
public class RunObserver {

    private static final Logger LOG = Logger.getLogger(RunObserver.class);
    /** The platform's default {@code execution.checkpointing.interval} (libs/provisioning FlinkProcessConfiguration). */
    static final Duration CHECKPOINT_READ_INTERVAL = Duration.ofSeconds(10);

    private final BlockingJobs jobs;
    private final FlinkRestClient flink;
    private final StateLocations locations;
    private final SubmissionConfig.Jobs config;
    private final AutoRestartPolicy autoRestart;
    private final Clock clock;
    /** Runs seen ended whose end waits for Flink's word on their latest checkpoint, with when they were first seen so. */
    private final Map<String, Instant> endedRuns = new ConcurrentHashMap<>();
    /** Runs by when their latest checkpoint was last read while they ran: a read per run per interval, not per pass. */
    private final Map<String, Instant> checkpointReads = new ConcurrentHashMap<>();

    public RunObserver(BlockingJobs jobs, FlinkRestClient flink, StateLocations locations, SubmissionConfig config, Clock clock) {
        this.jobs = jobs;
        this.flink = flink;
        this.locations = locations;
        this.config = config.jobs();
        this.clock = clock;
        this.autoRestart = new AutoRestartPolicy(config.jobs().autoRestart().maxAttempts(), config.jobs().autoRestart().window(),
                config.jobs().autoRestart().initialBackoff());
    }

    /** Forgets what it remembers of runs no longer active. */
    void retainRuns(Collection<String> activeRuns) {
        endedRuns.keySet().retainAll(activeRuns);
        checkpointReads.keySet().retainAll(activeRuns);
    }

    /**
     * Reads the run's state into the job (with Flink's failure cause when it fails), follows a recovery by a new JobManager,
     * and records the run's latest completed checkpoint while it runs.
     */
    void follow(Job job, String url, Cluster cluster) throws IOException {
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
        jobs.record(job, (j, now, effects) -> {
            JobTransitions.observed(j, observed, cause, now);
            retained.ifPresent(c -> JobTransitions.checkpointRetained(j, c.path(), c.completedAt(), now));
        });
    }

    /**
     * A JobManager leads again and knows the run (recovered from the cluster's high-availability store): RECOVERING until all
     * of it runs, then RUNNING with the checkpoint it restored from.
     */
    private void followRecovery(Job job, String url, JobStatus observed, String flinkState) throws IOException {
        if (observed != JobStatus.RUNNING) {
            String reason = "a JobManager leads again and recovers the run (Flink: " + flinkState + ")";
            jobs.record(job, (j, now, effects) -> JobTransitions.recovering(j, reason, now));
            return;
        }
        String checkpoint = flink.restoredCheckpoint(url, job.flinkJobId).orElse(null);
        LOG.infof("job %s: run %s recovered by a new JobManager of cluster %s from %s", job.id, job.flinkJobId, job.clusterId,
                checkpoint == null ? "no checkpoint" : "checkpoint " + checkpoint);
        jobs.record(job, (j, now, effects) -> JobTransitions.recovered(j, checkpoint, now));
    }

    /**
     * The JobManager answers but no longer knows the run: its cluster ran without high availability (a new JobManager knows
     * no job), or the HA data is gone. The job restarts from the newest checkpoint the run left on storage, within the
     * automatic restart policy, or fails saying why it did not.
     */
    private void lose(Job job, Cluster cluster) {
        String cause = "the JobManager of cluster " + job.clusterId + " no longer knows Flink job " + job.flinkJobId
                + (cluster != null && cluster.highAvailability() ? " (its high-availability data is gone)"
                        : " (it was replaced, and the cluster runs without high availability)");
        Optional<CompletedCheckpoints.Found> newest = CompletedCheckpoints.newest(
                locations.checkpointDirectory(job.id) + "/" + job.flinkJobId);
        Job recorded = jobs.record(job, (j, now, effects) -> {
            newest.ifPresent(found -> JobTransitions.checkpointRetained(j, found.path(), found.completedAt(), now));
            JobTransitions.lost(j, cause, autoRestart, now);
        });
        if (recorded != null) {
            LOG.warnf("job %s: %s", job.id, recorded.statusReason);
        }
    }

    /**
     * The JobManager did not answer while the run is alive and nothing is asked of it. A run of a cluster with high
     * availability lives on in its store, and a JobManager that leads again recovers it: the job is RECOVERING meanwhile (true).
     * False when the cluster has no such store: the caller notes the JobManager as unreachable.
     */
    boolean recovering(Job job, Cluster cluster, String what) {
        if (PassContext.deleted(cluster) || !cluster.highAvailability()) {
            return false;
        }
        String reason = BlockingJobs.shorten("the JobManager of cluster " + job.clusterId + " is being replaced or re-elected ("
                + what + "); the run lives on in the cluster's high-availability store and resumes from its latest checkpoint once"
                + " a JobManager leads");
        jobs.record(job, (j, now, effects) -> JobTransitions.recovering(j, reason, now));
        return true;
    }

    /**
     * While the run runs, its newest completed checkpoint is the job's latest known one: what a lost run restarts from. Read
     * at most every {@link #CHECKPOINT_READ_INTERVAL}, the platform's default checkpoint interval: more often finds nothing new.
     */
    private void recordLatestCheckpoint(Job job, String url) {
        Instant readAt = clock.instant();
        Instant lastRead = checkpointReads.get(job.flinkJobId);
        if (lastRead != null && readAt.isBefore(lastRead.plus(CHECKPOINT_READ_INTERVAL))) {
            return;
        }
        checkpointReads.put(job.flinkJobId, readAt);
        Optional<FlinkRestClient.Checkpoint> latest = retainedCheckpoint(url, job).retained();
        if (latest.isPresent() && JobTransitions.newerCheckpoint(job, latest.get().path(), latest.get().completedAt())) {
            jobs.record(job, (j, now, effects) -> JobTransitions.checkpointRetained(j, latest.get().path(),
                    latest.get().completedAt(), now));
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
     * Before a SUBMIT that restores from the newest point: asks the JobManager of the previous run for its latest retained
     * checkpoint (the run may have ended before it was read, or was read before the checkpoint was). Null when the job changed.
     */
    Job withLatestCheckpoint(Job job, PassContext pass) {
        if (!job.pending.restoreLatest || job.flinkJobId == null || PassContext.deleted(pass.cluster(job.clusterId))) {
            return job; // nothing to ask, or nobody left to answer: what is recorded will do
        }
        Optional<FlinkRestClient.Checkpoint> checkpoint;
        try {
            // A discarded one: what the end of the run recorded will do.
            checkpoint = retainedCheckpoint(pass.url(job.clusterId), job).retained();
        } catch (IOException unreachable) {
            // The previous run's JobManager is gone (a deleted cluster, a replaced JobManager): what is recorded will do.
            LOG.debugf("job %s: no checkpoint of run %s could be read: %s", job.id, job.flinkJobId, unreachable.getMessage());
            return job;
        }
        if (checkpoint.isEmpty() || !JobTransitions.newerCheckpoint(job, checkpoint.get().path(), checkpoint.get().completedAt())) {
            return job;
        }
        return jobs.record(job, (j, now, effects) -> JobTransitions.checkpointRetained(j, checkpoint.get().path(),
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
}
