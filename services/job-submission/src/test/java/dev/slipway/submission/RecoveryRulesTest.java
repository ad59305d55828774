package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.submission.job.AutoRestartPolicy;
import dev.slipway.submission.job.CompletedCheckpoints;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.job.Operation;
import dev.slipway.submission.job.RestoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to a job when its JobManager goes: recovery through high availability, or an automatic restart, or why not. */
class RecoveryRulesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final AutoRestartPolicy POLICY = new AutoRestartPolicy(3, Duration.ofMinutes(30), Duration.ofSeconds(2));
    private static final String CAUSE = "the JobManager of cluster c1 no longer knows Flink job f1";

    private static Job running() {
        Job job = new Job();
        job.id = "j";
        job.clusterId = "c1";
        job.version = 2;
        job.latestVersion = 2;
        job.status = JobStatus.RUNNING;
        job.flinkJobId = "f1";
        job.runs = 1;
        job.operation = Operation.NONE;
        return job;
    }

    @Test
    void aRunWhoseJobManagerIsReplacedIsRecoveringThenRunningFromTheCheckpointItRestored() {
        Job job = running();
        assertThat(JobTransitions.recovering(job, "the JobManager is being replaced", NOW)).isTrue();
        assertThat(job.status).isEqualTo(JobStatus.RECOVERING);
        assertThat(job.flinkRunAlive()).as("the run lives on").isTrue();
        assertThat(JobTransitions.recovering(job, "the JobManager is being replaced", NOW)).as("nothing new").isFalse();
        assertThat(JobTransitions.recovering(job, "a JobManager leads again", NOW)).isTrue();
        assertThat(job.statusReason).isEqualTo("a JobManager leads again");

        JobTransitions.recovered(job, "file:/cp/j/f1/chk-9", NOW);
        assertThat(job.status).isEqualTo(JobStatus.RUNNING);
        assertThat(job.flinkJobId).as("the same run").isEqualTo("f1");
        assertThat(job.restoredFrom).isEqualTo("file:/cp/j/f1/chk-9");
        assertThat(job.restoredFromKind).isEqualTo(RestoreKind.CHECKPOINT);
        assertThat(job.statusReason).contains("chk-9");
    }

    @Test
    void aLostRunRestartsFromItsNewestCheckpointAfterABackOffThatDoubles() {
        Job job = running();
        JobTransitions.checkpointRetained(job, "file:/cp/j/f1/chk-12", NOW.minusSeconds(1), NOW);
        JobTransitions.lost(job, CAUSE, POLICY, NOW);

        assertThat(job.status).isEqualTo(JobStatus.RECOVERING);
        assertThat(job.operation).isEqualTo(Operation.SUBMIT);
        assertThat(job.pending.version).as("the version it ran").isEqualTo(2);
        assertThat(job.pending.clusterId).isEqualTo("c1");
        assertThat(job.pending.restorePath).isEqualTo("file:/cp/j/f1/chk-12");
        assertThat(job.pending.restoreKind).isEqualTo(RestoreKind.CHECKPOINT);
        assertThat(job.pending.notBefore).isEqualTo(NOW.plusSeconds(2));
        assertThat(job.autoRestarts).isEqualTo(1);
        assertThat(job.statusReason).startsWith(CAUSE).contains("restarting it from checkpoint file:/cp/j/f1/chk-12")
                .contains("automatic restart 1 of 3");

        // Flink accepts the new run; it is lost too.
        JobTransitions.submitted(job, "f2", NOW.plusSeconds(3));
        assertThat(job.pending.notBefore).isNull();
        assertThat(job.restoredFrom).isEqualTo("file:/cp/j/f1/chk-12");
        job.status = JobStatus.RUNNING;
        JobTransitions.lost(job, CAUSE, POLICY, NOW.plusSeconds(60));
        assertThat(job.pending.notBefore).as("the second waits twice as long").isEqualTo(NOW.plusSeconds(64));
        assertThat(job.autoRestarts).isEqualTo(2);
    }

    @Test
    void aJobThatKeepsLosingItsRunsStopsWithItsReasonUntilTheWindowIsOver() {
        Job job = running();
        job.latestSavepoint = "file:/sp/j/1";
        job.latestSavepointAt = NOW.minusSeconds(100);
        for (int attempt = 1; attempt <= 3; attempt++) {
            JobTransitions.lost(job, CAUSE, POLICY, NOW.plusSeconds(attempt));
            assertThat(job.operation).isEqualTo(Operation.SUBMIT);
            assertThat(job.pending.restoreKind).as("the savepoint is the newest point").isEqualTo(RestoreKind.SAVEPOINT);
            JobTransitions.submitted(job, "f" + (attempt + 1), NOW.plusSeconds(attempt));
            job.status = JobStatus.RUNNING;
        }
        JobTransitions.lost(job, CAUSE, POLICY, NOW.plusSeconds(10));
        assertThat(job.status).isEqualTo(JobStatus.FAILED);
        assertThat(job.operation).isEqualTo(Operation.NONE);
        assertThat(job.statusReason).contains("restarted automatically 3 times within PT30M").contains("jobs restart");

        Job later = running();
        later.latestSavepoint = job.latestSavepoint;
        later.latestSavepointAt = job.latestSavepointAt;
        later.autoRestarts = 3;
        later.autoRestartWindowFrom = NOW;
        JobTransitions.lost(later, CAUSE, POLICY, NOW.plus(Duration.ofMinutes(31)));
        assertThat(later.operation).as("a new window").isEqualTo(Operation.SUBMIT);
        assertThat(later.autoRestarts).isEqualTo(1);
        assertThat(later.autoRestartWindowFrom).isEqualTo(NOW.plus(Duration.ofMinutes(31)));
    }

    @Test
    void aLostRunWithNothingToStartFromFailsSayingSoInsteadOfStartingOverSilently() {
        Job job = running();
        JobTransitions.lost(job, CAUSE, POLICY, NOW);
        assertThat(job.status).isEqualTo(JobStatus.FAILED);
        assertThat(job.operation).isEqualTo(Operation.NONE);
        assertThat(job.failureCause).isEqualTo(CAUSE);
        assertThat(job.statusReason).contains("no checkpoint or savepoint").contains("start from nothing");
        assertThat(job.autoRestarts).isZero();
    }

    @Test
    void aSavepointInFlightWhenTheRunIsLostFailsAndTheRunStillRestarts() {
        Job job = running();
        JobTransitions.savepoint(job, NOW);
        JobTransitions.checkpointRetained(job, "file:/cp/j/f1/chk-3", NOW, NOW);
        JobTransitions.lost(job, CAUSE, POLICY, NOW.plusSeconds(1));
        assertThat(job.opError).isEqualTo(CAUSE);
        assertThat(job.operation).isEqualTo(Operation.SUBMIT);
        assertThat(job.pending.restorePath).isEqualTo("file:/cp/j/f1/chk-3");
    }

    @Test
    void noAutomaticRestartsMeansALostRunFails() {
        Job job = running();
        job.latestSavepoint = "file:/sp/j/1";
        JobTransitions.lost(job, CAUSE, new AutoRestartPolicy(0, Duration.ofMinutes(30), Duration.ofSeconds(2)), NOW);
        assertThat(job.status).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void theNewestCompletedCheckpointOnStorageIsTheOneWithItsMetadata(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("f1");
        assertThat(CompletedCheckpoints.newest(run.toUri().toString())).as("no directory yet").isEmpty();
        Files.createDirectories(run.resolve("shared"));
        Files.createDirectories(run.resolve("chk-3"));
        Files.writeString(run.resolve("chk-3/_metadata"), "m");
        Files.createDirectories(run.resolve("chk-11"));
        Files.writeString(run.resolve("chk-11/_metadata"), "m");
        Files.setLastModifiedTime(run.resolve("chk-11/_metadata"), FileTime.from(NOW));
        Files.createDirectories(run.resolve("chk-12")); // not completed: no metadata
        Files.writeString(run.resolve("chk-12/state"), "s");

        CompletedCheckpoints.Found newest = CompletedCheckpoints.newest(run.toUri().toString()).orElseThrow();
        assertThat(newest.id()).as("11 > 3 numerically, and 12 never completed").isEqualTo(11);
        assertThat(newest.path()).endsWith("/f1/chk-11").startsWith("file:");
        assertThat(newest.completedAt()).isEqualTo(NOW);
        assertThat(CompletedCheckpoints.newest("s3://bucket/cp/j/f1")).as("an object store is not listed here").isEmpty();
    }

    @Test
    void theRestartPolicyCountsPerWindow() {
        assertThat(POLICY.next(0, null, NOW)).contains(new AutoRestartPolicy.Attempt(1, NOW, NOW.plusSeconds(2)));
        assertThat(POLICY.next(2, NOW, NOW.plusSeconds(5))).contains(new AutoRestartPolicy.Attempt(3, NOW, NOW.plusSeconds(13)));
        assertThat(POLICY.next(3, NOW, NOW.plusSeconds(5))).isEmpty();
        assertThat(POLICY.next(3, NOW, NOW.plus(Duration.ofMinutes(30)))).contains(
                new AutoRestartPolicy.Attempt(1, NOW.plus(Duration.ofMinutes(30)), NOW.plus(Duration.ofMinutes(30)).plusSeconds(2)));
    }
}
