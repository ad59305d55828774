package dev.slipway.submission.job;

import dev.slipway.submission.Job;
import dev.slipway.submission.JobSavepoint;
import dev.slipway.submission.JobVersion;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which of a job's savepoints go: all but the {@code kept} newest that are still there, except any a job may still start
 * from (its latest savepoint, what its run restored from, what a pending submit restores from, a version's initial savepoint),
 * this job or another that was given the path.
 * Savepoints Slipway did not take (paths a user gave) are never its to dispose of: they are not in the list.
 */
public final class SavepointRetention {

    private static final Comparator<JobSavepoint> NEWEST_FIRST = Comparator.comparing((JobSavepoint s) -> s.createdAt)
            .thenComparing(s -> s.id).reversed();

    private SavepointRetention() {
    }

    /** The savepoints to dispose of (those with a disposal in progress included), newest first. */
    public static List<JobSavepoint> toDispose(List<JobSavepoint> savepoints, Set<String> inUse, int kept) {
        if (kept < 1) {
            throw new IllegalArgumentException("at least the newest savepoint is kept: " + kept);
        }
        return savepoints.stream()
                .filter(JobSavepoint::kept)
                .sorted(NEWEST_FIRST)
                .skip(kept)
                .filter(savepoint -> !inUse.contains(savepoint.path))
                .toList();
    }

    /** The paths these jobs and versions may still start from. */
    public static Set<String> startPoints(List<Job> jobs, List<JobVersion> versions) {
        Set<String> paths = new HashSet<>();
        for (Job job : jobs) {
            paths.add(job.latestSavepoint);
            paths.add(job.restoredFrom);
            paths.add(job.pending.restorePath);
        }
        versions.forEach(version -> paths.add(version.savepointPath));
        paths.removeIf(Objects::isNull);
        return paths;
    }
}
