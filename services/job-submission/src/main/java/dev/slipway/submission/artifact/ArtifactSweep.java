package dev.slipway.submission.artifact;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which files of the artifact store may go: stored jars ({@code <root>/<sha[0..2]>/<sha>.jar}) that no version references,
 * and uploads' temporary files ({@code <root>/.upload-*.tmp}) a crash left behind, both only when last modified before the
 * cut-off. Nothing else under the root is looked at (the default savepoint and checkpoint directories live there too).
 */
public final class ArtifactSweep {

    private static final Pattern SHARD = Pattern.compile("[0-9a-f]{2}");
    private static final Pattern JAR = Pattern.compile("([0-9a-f]{64})\\.jar");
    private static final Pattern UPLOAD = Pattern.compile("\\.upload-.*\\.tmp");

    private ArtifactSweep() {
    }

    /** What a sweep removed. */
    public record Result(List<String> jars, int uploads, long bytes) {
    }

    /** Removes what may go and answers it; a file that vanished or cannot be removed meanwhile is skipped. */
    public static Result sweep(Path root, Set<String> referenced, Instant cutOff) throws IOException {
        List<String> jars = new ArrayList<>();
        int uploads = 0;
        long bytes = 0;
        if (!Files.isDirectory(root)) {
            return new Result(jars, 0, 0);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (UPLOAD.matcher(name).matches() && Files.isRegularFile(entry)) {
                    long size = removeIfOlder(entry, cutOff);
                    if (size >= 0) {
                        uploads++;
                        bytes += size;
                    }
                } else if (SHARD.matcher(name).matches() && Files.isDirectory(entry)) {
                    bytes += sweepShard(entry, name, referenced, cutOff, jars);
                }
            }
        }
        return new Result(jars, uploads, bytes);
    }

    private static long sweepShard(Path shard, String prefix, Set<String> referenced, Instant cutOff, List<String> removed)
            throws IOException {
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
            for (Path file : files) {
                var jar = JAR.matcher(file.getFileName().toString());
                if (!jar.matches() || !jar.group(1).startsWith(prefix) || referenced.contains(jar.group(1))) {
                    continue;
                }
                long size = removeIfOlder(file, cutOff);
                if (size >= 0) {
                    removed.add(jar.group(1));
                    bytes += size;
                }
            }
        }
        return bytes;
    }

    /** The size of the removed file, or -1 when it is kept (too young, gone, or not removable). */
    private static long removeIfOlder(Path file, Instant cutOff) {
        try {
            if (!Files.getLastModifiedTime(file).toInstant().isBefore(cutOff)) {
                return -1;
            }
            long size = Files.size(file);
            Files.delete(file);
            return size;
        } catch (IOException goneOrLocked) {
            return -1; // removed meanwhile, or not removable now: the next pass looks again
        }
    }
}
