package dev.slipway.submission.reconcile;

import dev.slipway.submission.artifact.ArtifactStore;
import dev.slipway.submission.config.SubmissionConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Where each job's savepoints and its runs' checkpoints go. */
@ApplicationScoped
public class StateLocations {

    private final String savepointRoot;
    private final String checkpointRoot;

    public StateLocations(ArtifactStore artifacts, SubmissionConfig config) {
        this.savepointRoot = config.jobs().savepointDir()
                .orElseGet(() -> artifacts.root().resolve("savepoints").toUri().toString())
                .replaceAll("/+$", "");
        // Beside the savepoints: on the same shared file system when one is configured for them.
        this.checkpointRoot = config.jobs().checkpointDir()
                .orElseGet(() -> config.jobs().savepointDir().isPresent() ? savepointRoot + "/checkpoints"
                        : artifacts.root().resolve("checkpoints").toUri().toString())
                .replaceAll("/+$", "");
    }

    /** The savepoint directory of a job: {@code <savepoint-dir>/<job id>}. */
    public String savepointDirectory(String jobId) {
        return savepointRoot + "/" + jobId;
    }

    /** The checkpoint directory of a job's runs: {@code <checkpoint-dir>/<job id>} (Flink adds the Flink job id). */
    public String checkpointDirectory(String jobId) {
        return checkpointRoot + "/" + jobId;
    }
}
