package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.job.Operation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which jobs a cluster's deletion concerns, and how each ends. */
class DeletedClusterRulesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String REASON = "cluster c1 was deleted";

    private static Job job(String cluster, JobStatus status, String flinkJobId) {
        Job job = new Job();
        job.id = "j";
        job.clusterId = cluster;
        job.version = 1;
        job.latestVersion = 1;
        job.status = status;
        job.flinkJobId = flinkJobId;
        job.operation = Operation.NONE;
        return job;
    }

    @Test
    void liveJobsAreThoseWithARunNotOverThereOrAnActionAboutThatCluster() {
        assertThat(JobTransitions.liveOn(job("c1", JobStatus.RUNNING, "f"), "c1")).isTrue();
        assertThat(JobTransitions.liveOn(job("c1", JobStatus.RUNNING, "f"), "c2")).isFalse();
        for (JobStatus over : new JobStatus[] {JobStatus.FAILED, JobStatus.FINISHED, JobStatus.CANCELED}) {
            assertThat(JobTransitions.liveOn(job("c1", over, "f"), "c1")).as(over.name()).isFalse();
        }
        Job restarting = job("c1", JobStatus.FAILED, "f");
        JobTransitions.redeploy(restarting, 1, "c1", "restart it", NOW);
        assertThat(JobTransitions.liveOn(restarting, "c1")).isTrue();

        Job movingAway = job("c1", JobStatus.FINISHED, "f");
        JobTransitions.redeploy(movingAway, 1, "c2", "migrate it", NOW);
        assertThat(JobTransitions.liveOn(movingAway, "c1")).as("its run there is over; it goes to c2").isFalse();
        assertThat(JobTransitions.liveOn(movingAway, "c2")).isTrue();

        Job stoppingToMove = job("c2", JobStatus.RUNNING, "f");
        JobTransitions.redeploy(stoppingToMove, 1, "c1", "migrate it", NOW);
        assertThat(JobTransitions.liveOn(stoppingToMove, "c1")).isTrue();
    }

    @Test
    void aJobWhoseRunWasThereIsCanceledAndAnyStepInFlightIsDropped() {
        Job running = job("c1", JobStatus.RUNNING, "f");
        JobTransitions.savepoint(running, NOW);
        long seq = running.opSeq;
        JobTransitions.clusterDeleted(running, "c1", REASON, NOW);
        assertThat(running.status).isEqualTo(JobStatus.CANCELED);
        assertThat(running.statusReason).isEqualTo(REASON);
        assertThat(running.operation).isEqualTo(Operation.NONE);
        assertThat(running.opError).isEqualTo(REASON);
        assertThat(running.opSeq).isGreaterThan(seq);
        assertThat(running.flinkRunAlive()).isFalse();

        Job neverRan = job("c1", JobStatus.SUBMITTED, null);
        JobTransitions.redeploy(neverRan, 1, "c1", "submit it", NOW);
        JobTransitions.clusterDeleted(neverRan, "c1", REASON, NOW);
        assertThat(neverRan.status).isEqualTo(JobStatus.CANCELED);
        assertThat(neverRan.operation).isEqualTo(Operation.NONE);
    }

    @Test
    void aJobOnlyMovingThereKeepsItsOwnRun() {
        Job notSentYet = job("c2", JobStatus.RUNNING, "f");
        JobTransitions.redeploy(notSentYet, 1, "c1", "migrate it", NOW);
        JobTransitions.clusterDeleted(notSentYet, "c1", REASON, NOW);
        assertThat(notSentYet.status).isEqualTo(JobStatus.RUNNING);
        assertThat(notSentYet.operation).isEqualTo(Operation.NONE);
        assertThat(notSentYet.opError).contains(REASON, "stays on cluster c2");

        Job stopSent = job("c2", JobStatus.RUNNING, "f");
        JobTransitions.redeploy(stopSent, 1, "c1", "migrate it", NOW);
        stopSent.pending.triggerId = "t";
        JobTransitions.clusterDeleted(stopSent, "c1", REASON, NOW);
        assertThat(stopSent.operation).as("completes as a plain stop").isEqualTo(Operation.STOP);
        assertThat(stopSent.pending.thenSubmit).isFalse();
        assertThat(stopSent.pending.clusterId).isNull();
        JobTransitions.savepointCompleted(stopSent, "file:/sp", NOW);
        JobTransitions.observed(stopSent, JobStatus.FINISHED, null, NOW);
        assertThat(stopSent.operation).isEqualTo(Operation.NONE);
        assertThat(stopSent.clusterId).isEqualTo("c2");

        Job stoppedElsewhere = job("c2", JobStatus.FINISHED, "f");
        JobTransitions.redeploy(stoppedElsewhere, 1, "c1", "migrate it", NOW);
        JobTransitions.clusterDeleted(stoppedElsewhere, "c1", REASON, NOW);
        assertThat(stoppedElsewhere.status).isEqualTo(JobStatus.FINISHED);
        assertThat(stoppedElsewhere.operation).isEqualTo(Operation.NONE);
    }
}
