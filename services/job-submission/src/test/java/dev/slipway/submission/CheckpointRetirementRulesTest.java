package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.submission.job.CheckpointRetirement;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.job.Operation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which checkpoints of earlier runs go once nothing of the job starts from them, and which stay. */
class CheckpointRetirementRulesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Job cancelledWithCheckpoint(String run, int checkpoint) {
        Job job = new Job();
        job.id = "j";
        job.clusterId = "c1";
        job.version = 1;
        job.latestVersion = 1;
        job.status = JobStatus.CANCELED;
        job.flinkJobId = run;
        job.runs = 1;
        job.operation = Operation.NONE;
        JobTransitions.checkpointRetained(job, path(run, checkpoint), NOW.plusSeconds(checkpoint), NOW);
        return job;
    }

    private static String path(String run, int checkpoint) {
        return "file:/cp/j/" + run + "/chk-" + checkpoint;
    }

    /** Restart from the newest point, Flink accepts the run as {@code run}. */
    private static void restart(Job job, String run, Instant at) {
        JobTransitions.redeploy(job, 1, "c1", "restart it", at);
        JobTransitions.submitted(job, run, at);
        job.status = JobStatus.RUNNING;
    }

    @Test
    void theCheckpointARunStartedFromGoesOnceTheNextRunStartsFromANewerOne() {
        Job job = cancelledWithCheckpoint("f1", 4);
        restart(job, "f2", NOW.plusSeconds(10));
        assertThat(job.restoredFrom).isEqualTo(path("f1", 4));
        assertThat(CheckpointRetirement.disposals(job)).as("the run restored from it").isEmpty();

        // The new run checkpoints as it goes: its own checkpoints are Flink's to subsume, f1's stays what f2 restored from.
        JobTransitions.checkpointRetained(job, path("f2", 1), NOW.plusSeconds(20), NOW.plusSeconds(20));
        JobTransitions.checkpointRetained(job, path("f2", 2), NOW.plusSeconds(21), NOW.plusSeconds(21));
        assertThat(CheckpointRetirement.disposals(job)).isEmpty();

        // Cancelled (f2 retains chk-3), restarted from it: f1's checkpoint is nobody's now.
        job.status = JobStatus.CANCELED;
        JobTransitions.checkpointRetained(job, path("f2", 3), NOW.plusSeconds(22), NOW.plusSeconds(22));
        restart(job, "f3", NOW.plusSeconds(30));
        assertThat(CheckpointRetirement.disposals(job)).containsExactly(path("f1", 4));

        CheckpointRetirement.done(job, path("f1", 4));
        assertThat(job.checkpointsToDispose).isNull();
        assertThat(job.checkpointDisposalTrigger).isNull();
    }

    @Test
    void aRetainedCheckpointOvertakenByANewerOneOfAnotherRunGoes() {
        Job job = cancelledWithCheckpoint("f1", 4);
        restart(job, "f2", NOW.plusSeconds(10));
        // A savepoint and a restart from it: f1's checkpoint is neither latest nor restored from any more.
        job.latestSavepoint = "file:/sp/j/1";
        job.latestSavepointAt = NOW.plusSeconds(40);
        job.status = JobStatus.FINISHED;
        JobTransitions.redeploy(job, 1, "c1", "restart it", NOW.plusSeconds(41));
        JobTransitions.submitted(job, "f3", NOW.plusSeconds(41));
        assertThat(job.restoredFrom).isEqualTo("file:/sp/j/1");
        assertThat(CheckpointRetirement.disposals(job)).as("still the job's latest checkpoint").isEmpty();

        JobTransitions.checkpointRetained(job, path("f3", 7), NOW.plusSeconds(60), NOW.plusSeconds(60));
        assertThat(CheckpointRetirement.disposals(job)).containsExactly(path("f1", 4));
    }

    @Test
    void whatTheJobMayStillStartFromIsNeverOnTheList() {
        Job job = cancelledWithCheckpoint("f1", 4);
        CheckpointRetirement.retire(job, path("f1", 4));
        assertThat(CheckpointRetirement.disposals(job)).as("its latest checkpoint").isEmpty();
        job.latestSavepoint = path("f0", 9); // a user may start from a checkpoint as from a savepoint
        CheckpointRetirement.retire(job, path("f0", 9));
        assertThat(CheckpointRetirement.disposals(job)).isEmpty();
        CheckpointRetirement.retire(job, null);
        CheckpointRetirement.retire(job, path("f0", 2));
        CheckpointRetirement.retire(job, path("f0", 2));
        CheckpointRetirement.retire(job, path("f0", 3));
        assertThat(CheckpointRetirement.disposals(job)).as("once each, oldest first").containsExactly(path("f0", 2), path("f0", 3));
    }

    @Test
    void aRecoveryByANewJobManagerRetiresWhatTheRunHadStartedFrom() {
        Job job = cancelledWithCheckpoint("f1", 4);
        restart(job, "f2", NOW.plusSeconds(10));
        JobTransitions.checkpointRetained(job, path("f2", 5), NOW.plusSeconds(20), NOW.plusSeconds(20));
        JobTransitions.recovering(job, "the JobManager is being replaced", NOW.plusSeconds(30));
        JobTransitions.recovered(job, path("f2", 5), NOW.plusSeconds(40));
        assertThat(CheckpointRetirement.disposals(job)).containsExactly(path("f1", 4));
        JobTransitions.recovered(job, path("f2", 6), NOW.plusSeconds(50));
        assertThat(CheckpointRetirement.disposals(job)).as("the run's own checkpoints are Flink's").containsExactly(path("f1", 4));
    }
}
