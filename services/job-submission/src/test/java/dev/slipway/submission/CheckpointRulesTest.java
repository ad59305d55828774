package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.job.Operation;
import dev.slipway.submission.job.RestoreKind;
import dev.slipway.submission.job.RestorePoint;
import dev.slipway.submission.job.RunConfiguration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which point a run restores from (the newer of savepoint and retained checkpoint) and what every run is configured with. */
class CheckpointRulesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Job ended(JobStatus status) {
        Job job = new Job();
        job.id = "j";
        job.clusterId = "c1";
        job.version = 1;
        job.latestVersion = 1;
        job.status = status;
        job.flinkJobId = "f1";
        job.operation = Operation.NONE;
        return job;
    }

    @Test
    void theNewerOfSavepointAndCheckpointIsRestoredAndASavepointWinsWhenInDoubt() {
        Job job = ended(JobStatus.FAILED);
        assertThat(RestorePoint.latest(job)).isEmpty();

        job.latestSavepoint = "file:/sp/1";
        job.latestSavepointAt = NOW;
        assertThat(RestorePoint.latest(job)).contains(new RestorePoint("file:/sp/1", RestoreKind.SAVEPOINT));

        job.latestCheckpoint = "file:/cp/f1/chk-7";
        job.latestCheckpointAt = NOW.minusSeconds(5);
        assertThat(RestorePoint.latest(job)).contains(new RestorePoint("file:/sp/1", RestoreKind.SAVEPOINT));
        job.latestCheckpointAt = NOW;
        assertThat(RestorePoint.latest(job)).as("a tie keeps the savepoint").contains(new RestorePoint("file:/sp/1", RestoreKind.SAVEPOINT));
        job.latestCheckpointAt = NOW.plusSeconds(5);
        assertThat(RestorePoint.latest(job)).contains(new RestorePoint("file:/cp/f1/chk-7", RestoreKind.CHECKPOINT));

        job.latestSavepointAt = null; // a savepoint recorded before its time was kept
        assertThat(RestorePoint.latest(job)).contains(new RestorePoint("file:/sp/1", RestoreKind.SAVEPOINT));
        job.latestSavepoint = null;
        assertThat(RestorePoint.latest(job)).contains(new RestorePoint("file:/cp/f1/chk-7", RestoreKind.CHECKPOINT));
    }

    @Test
    void aRestartOfAnEndedRunChoosesTheNewestPointAndANewerCheckpointFoundLaterReplacesIt() {
        Job job = ended(JobStatus.CANCELED);
        job.latestSavepoint = "file:/sp/1";
        job.latestSavepointAt = NOW;
        JobTransitions.redeploy(job, 1, "c1", "restart it", NOW);
        assertThat(job.operation).isEqualTo(Operation.SUBMIT);
        assertThat(job.pending.restorePath).isEqualTo("file:/sp/1");
        assertThat(job.pending.restoreKind).isEqualTo(RestoreKind.SAVEPOINT);

        assertThat(JobTransitions.checkpointRetained(job, "file:/cp/f1/chk-3", NOW.minusSeconds(1), NOW)).isTrue();
        assertThat(job.pending.restorePath).as("older than the savepoint").isEqualTo("file:/sp/1");
        assertThat(JobTransitions.checkpointRetained(job, "file:/cp/f1/chk-4", NOW.plusSeconds(1), NOW)).isTrue();
        assertThat(job.pending.restorePath).isEqualTo("file:/cp/f1/chk-4");
        assertThat(job.pending.restoreKind).isEqualTo(RestoreKind.CHECKPOINT);
        assertThat(JobTransitions.checkpointRetained(job, "file:/cp/f1/chk-4", NOW.plusSeconds(1), NOW)).as("known").isFalse();
        assertThat(JobTransitions.checkpointRetained(job, "file:/cp/f1/chk-2", NOW.minusSeconds(9), NOW)).as("older").isFalse();
        assertThat(job.latestCheckpoint).isEqualTo("file:/cp/f1/chk-4");

        JobTransitions.submitted(job, "f2", NOW);
        assertThat(job.restoredFrom).isEqualTo("file:/cp/f1/chk-4");
        assertThat(job.restoredFromKind).isEqualTo(RestoreKind.CHECKPOINT);
        assertThat(job.pending.restoreKind).isNull();
    }

    @Test
    void aSavepointGivenByTheUserOrTakenByAStopIsNotReplacedByACheckpoint() {
        Job job = ended(JobStatus.FAILED);
        JobTransitions.redeploy(job, 1, "c1", "deploy a new version", NOW);
        JobTransitions.restoreFrom(job, "s3://given/sp");
        JobTransitions.checkpointRetained(job, "file:/cp/f1/chk-9", NOW.plusSeconds(60), NOW);
        assertThat(job.pending.restorePath).isEqualTo("s3://given/sp");
        assertThat(job.pending.restoreKind).isEqualTo(RestoreKind.SAVEPOINT);

        Job running = ended(JobStatus.RUNNING);
        JobTransitions.redeploy(running, 1, "c1", "restart it", NOW);
        assertThat(running.operation).isEqualTo(Operation.STOP);
        JobTransitions.savepointCompleted(running, "file:/sp/stop", NOW);
        JobTransitions.observed(running, JobStatus.FINISHED, null, NOW);
        assertThat(running.operation).isEqualTo(Operation.SUBMIT);
        JobTransitions.checkpointRetained(running, "file:/cp/f1/chk-10", NOW.plusSeconds(60), NOW);
        assertThat(running.pending.restorePath).isEqualTo("file:/sp/stop");
        assertThat(running.latestSavepointAt).isEqualTo(NOW);
        JobTransitions.submitted(running, "f2", NOW);
        assertThat(running.restoredFromKind).isEqualTo(RestoreKind.SAVEPOINT);
    }

    @Test
    void everyRunKeepsItsCheckpointsInTheJobsDirectoryAndRetainsThemUnlessTheVersionSaysOtherwise() {
        assertThat(RunConfiguration.of(Map.of("pipeline.name", "orders"), "file:/data/checkpoints/j"))
                .containsEntry("pipeline.name", "orders")
                .containsEntry("execution.checkpointing.dir", "file:/data/checkpoints/j")
                .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        assertThat(RunConfiguration.of(Map.of("state.checkpoints.dir", "s3://own",
                "execution.checkpointing.externalized-checkpoint-retention", "DELETE_ON_CANCELLATION"), "file:/data/checkpoints/j"))
                .doesNotContainKey("execution.checkpointing.dir")
                .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "DELETE_ON_CANCELLATION");
    }
}
