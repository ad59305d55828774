package dev.slipway.submission.reconcile;

import dev.slipway.submission.Cluster;
import dev.slipway.submission.Job;
import dev.slipway.submission.JobVersion;
import dev.slipway.submission.artifact.ArtifactStore;
import dev.slipway.submission.artifact.JobBundle;
import dev.slipway.submission.client.FlinkRestClient;
import dev.slipway.submission.client.FlinkRestClient.FlinkError;
import dev.slipway.submission.cluster.ClusterStatus;
import dev.slipway.submission.job.JobDependency;
import dev.slipway.submission.job.JobIds;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.job.RootCause;
import dev.slipway.submission.job.RunConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Carries out a SUBMIT once its cluster is RUNNING: uploads the version's jar (bundled with its dependencies) and runs it with
 * the platform's Flink job id, from the chosen restore point. Safe to repeat after a crash: a run Flink has already is not
 * submitted again.
 */
@ApplicationScoped
public class RunSubmitter {

    private static final Logger LOG = Logger.getLogger(RunSubmitter.class);

    private final BlockingJobs jobs;
    private final FlinkRestClient flink;
    private final ArtifactStore artifacts;
    private final StateLocations locations;
    private final RunObserver observer;
    private final Clock clock;

    public RunSubmitter(BlockingJobs jobs, FlinkRestClient flink, ArtifactStore artifacts, StateLocations locations,
            RunObserver observer, Clock clock) {
        this.jobs = jobs;
        this.flink = flink;
        this.artifacts = artifacts;
        this.locations = locations;
        this.observer = observer;
        this.clock = clock;
    }

    void submit(Job read, PassContext pass) throws IOException {
        Cluster cluster = pass.cluster(read.pending.clusterId);
        if (PassContext.deleted(cluster)) {
            jobs.record(read, (j, now, effects) -> JobTransitions.clusterDeleted(j, j.pending.clusterId, "cluster "
                    + j.pending.clusterId + " was deleted before the job was submitted there", now));
            return;
        }
        if (read.pending.notBefore != null && clock.instant().isBefore(read.pending.notBefore)) {
            return; // an automatic restart's back-off; its reason says when and from where
        }
        if (cluster.status != ClusterStatus.RUNNING) {
            jobs.note(read, "waiting for cluster " + cluster.id + " to be RUNNING (it is " + cluster.status
                    + (cluster.statusReason == null ? "" : ": " + cluster.statusReason) + ")");
            return;
        }
        Job job = observer.withLatestCheckpoint(read, pass);
        if (job == null) {
            return; // changed meanwhile; the next pass reads it again
        }
        String url = pass.url(cluster.id);
        JobVersion version = jobs.await(() -> jobs.service().version(job.id, job.pending.version));
        String flinkJobId = JobIds.flinkJobId(job.id, job.runs + 1);
        String restore = job.pending.restorePath;
        if (flink.jobState(url, flinkJobId).isEmpty() && !run(job, version, url, flinkJobId, restore)) {
            return;
        } // else Flink has the run already (a pass that crashed after it)
        Job recorded = jobs.record(job, (j, now, effects) -> {
            JobTransitions.submitted(j, flinkJobId, now);
            effects.submitted(version, restore);
        });
        if (recorded == null) {
            // The job was cancelled while its run was being submitted: that run is nobody's, end it.
            LOG.infof("job %s changed while run %s was submitted; cancelling that run", job.id, flinkJobId);
            flink.cancel(url, flinkJobId);
        } else {
            LOG.infof("job %s: version %d runs on cluster %s as Flink job %s%s", job.id, version.version, cluster.id, flinkJobId,
                    restore == null ? "" : " from " + job.pending.restoreKind + " " + restore);
        }
    }

    /** Uploads and runs the version; false when it could not (the job says why). */
    private boolean run(Job job, JobVersion version, String url, String flinkJobId, String restore) throws IOException {
        Path jar = artifacts.path(version.artifactSha256);
        List<JobBundle.Library> libraries = new ArrayList<>();
        for (JobDependency dependency : jobs.service().dependencies(version)) {
            libraries.add(new JobBundle.Library(dependency.file(), artifacts.path(dependency.sha256())));
        }
        for (Path needed : Stream.concat(Stream.of(jar), libraries.stream().map(JobBundle.Library::path)).toList()) {
            if (!Files.exists(needed)) {
                jobs.record(job, (j, now, effects) -> JobTransitions.submissionFailed(j, "a jar of version " + version.version
                        + " is missing from the artifact store (" + needed + "); submit the version again", now));
                return false;
            }
        }
        String jarId = upload(url, jar, version.artifactName == null ? "job.jar" : version.artifactName, libraries);
        try {
            flink.run(url, jarId, new FlinkRestClient.Run(version.entryClass, version.parallelism, jobs.service().runArgs(version),
                    RunConfiguration.of(jobs.service().configuration(version), locations.checkpointDirectory(job.id)), restore,
                    flinkJobId));
        } catch (FlinkError refused) {
            if (flink.jobState(url, flinkJobId).isEmpty()) {
                String why = RootCause.first(explained(url, refused));
                LOG.infof("job %s: Flink refused version %d: %s", job.id, version.version, why);
                jobs.record(job, (j, now, effects) -> JobTransitions.submissionFailed(j, BlockingJobs.shorten(why), now));
                return false;
            }
        } finally {
            flink.deleteJar(url, jarId);
        }
        return true;
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
}
