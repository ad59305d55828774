package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.submission.job.Operation;
import dev.slipway.submission.job.SavepointRetention;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which savepoints go: all but the newest kept ones that are still there, never one the job may start from. */
class SavepointRetentionRulesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Savepoints 1..n of job j, one a minute, listed oldest first. */
    private static List<JobSavepoint> taken(int n) {
        List<JobSavepoint> savepoints = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            JobSavepoint savepoint = new JobSavepoint();
            savepoint.id = "j/t" + i;
            savepoint.jobId = "j";
            savepoint.path = "file:/sp/j/savepoint-" + i;
            savepoint.createdAt = T0.plusSeconds(60L * i);
            savepoints.add(savepoint);
        }
        return savepoints;
    }

    private static List<String> paths(List<JobSavepoint> savepoints) {
        return savepoints.stream().map(s -> s.path).toList();
    }

    @Test
    void allButTheNewestKeptGoNewestFirst() {
        assertThat(paths(SavepointRetention.toDispose(taken(5), Set.of(), 2)))
                .containsExactly("file:/sp/j/savepoint-3", "file:/sp/j/savepoint-2", "file:/sp/j/savepoint-1");
        assertThat(SavepointRetention.toDispose(taken(2), Set.of(), 2)).isEmpty();
        assertThat(SavepointRetention.toDispose(taken(0), Set.of(), 1)).isEmpty();
        assertThat(paths(SavepointRetention.toDispose(taken(2), Set.of(), 1))).containsExactly("file:/sp/j/savepoint-1");
    }

    @Test
    void theOrderIsByTimeNotByListOrSoAShuffledListGivesTheSameAnswer() {
        List<JobSavepoint> shuffled = new ArrayList<>(taken(4));
        Collections.reverse(shuffled);
        assertThat(paths(SavepointRetention.toDispose(shuffled, Set.of(), 3))).containsExactly("file:/sp/j/savepoint-1");
    }

    @Test
    void onesDisposedOfOrGivenUpOnNeitherCountAsKeptNorComeAgain() {
        List<JobSavepoint> savepoints = taken(5);
        savepoints.get(3).disposedAt = T0; // savepoint-4: gone already
        savepoints.get(0).disposalError = "java.io.IOException: denied"; // savepoint-1: left where it is
        // kept: 5 and 3 (4 is gone); 2 goes; 1 is not tried again
        assertThat(paths(SavepointRetention.toDispose(savepoints, Set.of(), 2))).containsExactly("file:/sp/j/savepoint-2");
    }

    @Test
    void aDisposalInProgressIsStillListedSoItsOutcomeIsRead() {
        List<JobSavepoint> savepoints = taken(3);
        savepoints.get(0).disposalTrigger = "abc";
        assertThat(SavepointRetention.toDispose(savepoints, Set.of(), 2)).singleElement()
                .satisfies(s -> assertThat(s.disposalTrigger).isEqualTo("abc"));
    }

    @Test
    void aSavepointTheJobMayStartFromStaysHoweverOld() {
        List<JobSavepoint> savepoints = taken(5);
        Job job = new Job();
        job.operation = Operation.NONE;
        job.latestSavepoint = "file:/sp/j/savepoint-5";
        job.restoredFrom = "file:/sp/j/savepoint-1";
        job.pending.restorePath = "file:/sp/j/savepoint-2";
        JobVersion first = new JobVersion();
        first.savepointPath = "file:/sp/j/savepoint-3";
        JobVersion second = new JobVersion();
        Set<String> inUse = SavepointRetention.startPoints(List.of(job), List.of(first, second));
        assertThat(inUse).containsExactlyInAnyOrder("file:/sp/j/savepoint-5", "file:/sp/j/savepoint-1", "file:/sp/j/savepoint-2",
                "file:/sp/j/savepoint-3");
        assertThat(paths(SavepointRetention.toDispose(savepoints, inUse, 1))).containsExactly("file:/sp/j/savepoint-4");
        job.restoredFrom = "file:/chk/j/f1/chk-9"; // restored from a checkpoint: savepoint-1 is free
        assertThat(paths(SavepointRetention.toDispose(savepoints, SavepointRetention.startPoints(List.of(job), List.of(first, second)), 1)))
                .containsExactly("file:/sp/j/savepoint-4", "file:/sp/j/savepoint-1");
    }

    @Test
    void theNewestIsAlwaysKept() {
        assertThatThrownBy(() -> SavepointRetention.toDispose(taken(1), Set.of(), 0)).hasMessageContaining("at least the newest");
    }
}
