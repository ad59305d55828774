package dev.slipway.submission.reconcile;

import dev.slipway.submission.Job;
import dev.slipway.submission.JobSavepoint;
import dev.slipway.submission.client.FlinkRestClient;
import dev.slipway.submission.client.FlinkRestClient.FlinkError;
import dev.slipway.submission.config.SubmissionConfig;
import dev.slipway.submission.job.JobIds;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.job.Operation;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Carries out the actions on a live run, one step per pass: cancel, savepoint, stop with a savepoint. Each step is safe to
 * repeat after a crash: a savepoint's trigger id derives from the action, so Flink recognises a repeated one.
 */
@ApplicationScoped
public class RunOperations {

    private static final Logger LOG = Logger.getLogger(RunOperations.class);

    private final BlockingJobs jobs;
    private final FlinkRestClient flink;
    private final StateLocations locations;
    private final SubmissionConfig.Jobs config;
    private final Clock clock;

    public RunOperations(BlockingJobs jobs, FlinkRestClient flink, StateLocations locations, SubmissionConfig config,
            Clock clock) {
        this.jobs = jobs;
        this.flink = flink;
        this.locations = locations;
        this.config = config.jobs();
        this.clock = clock;
    }

    /** The job after the step (null when it changed meanwhile). */
    Job cancel(Job job, String url) throws IOException {
        if (job.pending.triggerId != null) {
            return job; // sent; the run's end is what the observer waits for
        }
        flink.cancel(url, job.flinkJobId);
        return jobs.record(job, (j, now, effects) -> j.pending.triggerId = "cancel-sent");
    }

    /** SAVEPOINT and STOP: trigger, then read the outcome; the job after the step (null when it changed meanwhile). */
    Job savepoint(Job job, String url) throws IOException {
        boolean stop = job.operation == Operation.STOP;
        if (job.pending.triggerId == null) {
            String triggerId = JobIds.triggerId(job.id, job.opSeq);
            String directory = locations.savepointDirectory(job.id);
            try {
                if (stop) {
                    flink.stopWithSavepoint(url, job.flinkJobId, directory, triggerId);
                } else {
                    flink.triggerSavepoint(url, job.flinkJobId, directory, triggerId);
                }
            } catch (FlinkError refused) {
                return jobs.record(job, (j, now, effects) -> JobTransitions.failed(j, BlockingJobs.shorten(refused.getMessage()), now));
            }
            return jobs.record(job, (j, now, effects) -> j.pending.triggerId = triggerId);
        }
        if (stop && job.pending.restorePath != null) {
            return job; // taken; waiting for the run to end
        }
        FlinkRestClient.SavepointStatus status;
        try {
            status = flink.savepointStatus(url, job.flinkJobId, job.pending.triggerId);
        } catch (FlinkError unknown) {
            return jobs.record(job, (j, now, effects) -> JobTransitions.failed(j, BlockingJobs.shorten(unknown.getMessage()), now));
        }
        if (!status.completed()) {
            if (job.pending.startedAt != null && clock.instant().isAfter(job.pending.startedAt.plus(config.savepointTimeout()))) {
                return jobs.record(job, (j, now, effects) -> JobTransitions.failed(j,
                        "the savepoint did not complete within " + config.savepointTimeout(), now));
            }
            return job;
        }
        if (status.location() == null) {
            return jobs.record(job, (j, now, effects) -> JobTransitions.failed(j,
                    "the savepoint failed: " + BlockingJobs.shorten(status.failure()), now));
        }
        String trigger = job.pending.triggerId;
        LOG.infof("job %s: savepoint %s", job.id, status.location());
        return jobs.record(job, (j, now, effects) -> {
            effects.savepoint(stop ? JobSavepoint.STOPPED : JobSavepoint.TRIGGERED, status.location(), trigger);
            JobTransitions.savepointCompleted(j, status.location(), now);
        });
    }
}
