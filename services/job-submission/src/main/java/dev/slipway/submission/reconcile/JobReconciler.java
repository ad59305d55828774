package dev.slipway.submission.reconcile;

import dev.slipway.submission.Cluster;
import dev.slipway.submission.Job;
import dev.slipway.submission.client.JobManagerLocator;
import dev.slipway.submission.config.SubmissionConfig;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.job.Operation;
import dev.slipway.submission.service.JobsChanged;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Brings each job's run to what the job asks, pass after pass, on its own thread (the calls to Flink block), while this
 * instance leads ({@link ReconcilerLeadership}). A pass acts on what is asked ({@link RunSubmitter}, {@link RunOperations}),
 * observes each live run into its job ({@link RunObserver}) and disposes of state nothing starts from ({@link StateDisposer}).
 * Every step is safe to repeat after a crash: runs and savepoint triggers carry ids the platform derived, so Flink recognises
 * a repeated one, and an outcome is recorded only if the job is still as the step read it.
 */
@ApplicationScoped
public class JobReconciler {

    private static final Logger LOG = Logger.getLogger(JobReconciler.class);

    private final BlockingJobs jobs;
    private final JobManagerLocator locator;
    private final ReconcilerLeadership leadership;
    private final RunSubmitter submitter;
    private final RunOperations operations;
    private final RunObserver observer;
    private final StateDisposer disposer;
    private final SubmissionConfig.Jobs config;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public JobReconciler(BlockingJobs jobs, JobManagerLocator locator, ReconcilerLeadership leadership, RunSubmitter submitter,
            RunOperations operations, RunObserver observer, StateDisposer disposer, SubmissionConfig config) {
        this.jobs = jobs;
        this.locator = locator;
        this.leadership = leadership;
        this.submitter = submitter;
        this.operations = operations;
        this.observer = observer;
        this.disposer = disposer;
        this.config = config.jobs();
    }

    void onStart(@Observes StartupEvent event) {
        if (config.reconcilerEnabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** A user's action was recorded: look at the jobs now rather than at the next poll. */
    void onJobsChanged(@Observes JobsChanged changed) {
        wake();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
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
        leadership.release();
    }

    /** Never blocks. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    private void run() {
        try {
            while (running) {
                try {
                    if (leadership.lead()) {
                        reconcileOnce();
                    }
                } catch (RuntimeException e) {
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
        } catch (Error e) {
            // Not caught to go on (the JVM may be in no state to); said, and the lead let go below.
            LOG.errorf(e, "job reconciler stopped by %s; another instance takes the lead", e);
            throw e;
        } finally {
            // A reconciler that stops for any reason lets another instance lead at once, not when its connection dies.
            leadership.release();
        }
    }

    /** One pass over the jobs that need it. */
    void reconcileOnce() {
        PassContext pass = new PassContext(jobs, locator);
        List<Job> active = jobs.await(() -> jobs.service().active());
        List<Job> ended = jobs.await(() -> jobs.service().endedWithSavepointsBeyond(config.savepointsKept()));
        observer.retainRuns(active.stream().map(job -> job.flinkJobId).filter(Objects::nonNull).toList());
        disposer.retainJobs(Stream.concat(active.stream(), ended.stream()).map(job -> job.id).toList());
        for (Job job : active) {
            if (!running) {
                return;
            }
            try {
                reconcile(job, pass);
            } catch (IOException e) {
                // The JobManager or the provisioner did not answer: say so, try again at the next pass.
                unreachable(job, e, pass);
                pass.unreachable(clusterOfStep(job));
            }
        }
        for (Job job : ended) {
            if (!running) {
                return;
            }
            disposer.retainSavepointsOfEndedJob(job, pass);
        }
    }

    private void reconcile(Job job, PassContext pass) throws IOException {
        Job current = job;
        Cluster own = pass.cluster(current.clusterId);
        if (current.operation != Operation.SUBMIT && PassContext.deleted(own)) {
            // Its JobManager goes with the cluster's pods: the run would otherwise stay RUNNING here forever.
            String reason = "cluster " + current.clusterId + " was deleted (" + (own == null ? "gone" : own.status)
                    + "); the job's run ended with it";
            jobs.record(current, (j, now, effects) -> JobTransitions.clusterDeleted(j, j.clusterId, reason, now));
            return;
        }
        switch (current.operation) {
            case SUBMIT -> {
                submitter.submit(current, pass);
                return; // the new run is observed from the next pass
            }
            case CANCEL -> current = operations.cancel(current, pass.url(current.clusterId));
            case SAVEPOINT, STOP -> current = operations.savepoint(current, pass.url(current.clusterId));
            case NONE -> {
            }
        }
        if (current != null && current.flinkRunAlive()) {
            String url = pass.url(current.clusterId);
            observer.follow(current, url, own);
            disposer.retainSavepoints(current, url);
            disposer.disposeRetiredCheckpoint(current, url);
        }
    }

    /**
     * The JobManager did not answer (gone, not elected yet, or not there yet): a live run of a cluster with high availability
     * is RECOVERING meanwhile; otherwise the reason is noted and the next pass tries again.
     */
    private void unreachable(Job job, IOException e, PassContext pass) {
        // A refused connection has no message of its own: name the exception then.
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (job.operation == Operation.NONE && job.flinkRunAlive() && observer.recovering(job, pass.cluster(job.clusterId), what)) {
            return;
        }
        jobs.note(job, "could not reach the JobManager of cluster " + clusterOfStep(job) + ": " + what);
    }

    private static String clusterOfStep(Job job) {
        return job.operation == Operation.SUBMIT && job.pending.clusterId != null ? job.pending.clusterId : job.clusterId;
    }
}
