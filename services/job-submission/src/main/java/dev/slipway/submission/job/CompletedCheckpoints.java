package dev.slipway.submission.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints a run left in its checkpoint directory ({@code <dir>/chk-<n>/_metadata}, as Flink lays them out), read
 * from storage: what a run its JobManager lost can still start from, whatever the platform last read from Flink.
 */
public final class CompletedCheckpoints {

    private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");
    /** Flink writes it last: a checkpoint directory without it is a checkpoint that did not complete. */
    private static final String METADATA = "_metadata";

    private CompletedCheckpoints() {
    }

    /** A completed checkpoint and when its metadata was written. */
    public record Found(String path, long id, Instant completedAt) {
    }

    /**
     * The newest completed checkpoint under a run's directory (a {@code file:} URI); empty when there is none, or for storage
     * this service cannot list (an object store: then what was last read from Flink is all there is).
     */
    public static Optional<Found> newest(String runDirectory) {
        URI uri = URI.create(runDirectory);
        if (!"file".equals(uri.getScheme())) {
            return Optional.empty();
        }
        Path directory = Path.of(uri);
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(CompletedCheckpoints::completed).flatMap(Optional::stream).max(Comparator.comparingLong(Found::id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints in " + directory, e);
        }
    }

    private static Optional<Found> completed(Path candidate) {
        Matcher name = CHECKPOINT.matcher(candidate.getFileName().toString());
        Path metadata = candidate.resolve(METADATA);
        if (!name.matches() || !Files.isRegularFile(metadata)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Found(candidate.toUri().toString().replaceAll("/+$", ""), Long.parseLong(name.group(1)),
                    Files.getLastModifiedTime(metadata).toInstant()));
        } catch (IOException gone) {
            return Optional.empty(); // subsumed and deleted while it was looked at
        }
    }
}
