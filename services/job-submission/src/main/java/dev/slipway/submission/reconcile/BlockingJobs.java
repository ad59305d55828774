package dev.slipway.submission.reconcile;

import dev.slipway.submission.Job;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.service.JobService;
import dev.slipway.submission.service.OnVertxContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The job service as the reconciler's own thread uses it: each call waits for its reactive transaction, run on a Vert.x
 * context, so the blocking calls to Flink never hold the event loop. Outcomes are recorded only if the job is still as the
 * step read it ({@link JobService#update}).
 */
@ApplicationScoped
public class BlockingJobs {

    private static final int MAX_REASON = 1000;

    private final JobService jobs;

    public BlockingJobs(JobService jobs) {
        this.jobs = jobs;
    }

    public JobService service() {
        return jobs;
    }

    /** Answers what the service's Uni answers; a failure of the database is thrown as it is. */
    public <T> T await(Supplier<Uni<T>> uni) {
        return OnVertxContext.await(uni);
    }

    /** The job as changed, or null when it changed meanwhile (the outcome is dropped). */
    public Job record(Job job, JobService.Change change) {
        return await(() -> jobs.update(job, change));
    }

    /** Notes why the job waits, unless it says so already. */
    public void note(Job job, String reason) {
        String shortened = shorten(reason);
        if (!shortened.equals(job.statusReason)) {
            record(job, (j, now, effects) -> JobTransitions.waiting(j, shortened, now));
        }
    }

    /** A reason short enough for the job's status. */
    public static String shorten(String text) {
        if (text == null) {
            return "unknown";
        }
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }
}
