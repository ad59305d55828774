package dev.slipway.submission.job;

import dev.slipway.submission.Job;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Which checkpoints an ended run left behind the job no longer needs. A run cancelled or failed keeps its latest checkpoint
 * on storage (Flink retains it for a restart); once the job has a newer restore point and no run starts from it, nothing
 * would ever delete it. Pure: the job in, the job's disposal list changed.
 *
 * <p>A checkpoint stays while it is the job's latest known one, what the current run restored from, what a pending
 * submission restores from, or the job's latest savepoint; and always while it belongs to the current run (Flink itself
 * deletes those it subsumes). Another job that may start from it is asked about when it is disposed of.
 */
public final class CheckpointRetirement {

    private CheckpointRetirement() {
    }

    /** A checkpoint the job stopped pointing at: on the disposal list, unless the job still needs it. */
    public static void retire(Job job, String path) {
        if (path == null || needed(job, path) || disposals(job).contains(path)) {
            return;
        }
        List<String> list = new ArrayList<>(disposals(job));
        list.add(path);
        job.checkpointsToDispose = String.join("\n", list);
    }

    /** Whether the job may still start from the path, or its current run made it. */
    public static boolean needed(Job job, String path) {
        boolean currentRun = job.flinkJobId != null && path.contains("/" + job.flinkJobId + "/");
        return currentRun || Stream.of(job.latestCheckpoint, job.restoredFrom, job.pending.restorePath, job.latestSavepoint)
                .anyMatch(kept -> Objects.equals(kept, path));
    }

    /** The checkpoints waiting to be disposed of, oldest first. */
    public static List<String> disposals(Job job) {
        return job.checkpointsToDispose == null || job.checkpointsToDispose.isBlank() ? List.of()
                : Arrays.stream(job.checkpointsToDispose.split("\n")).filter(line -> !line.isBlank()).toList();
    }

    /** The first on the list is done with (disposed of, gone, or kept for another job): the next one's turn. */
    public static void done(Job job, String path) {
        List<String> rest = disposals(job).stream().filter(other -> !other.equals(path)).toList();
        job.checkpointsToDispose = rest.isEmpty() ? null : String.join("\n", rest);
        job.checkpointDisposalTrigger = null;
    }
}
