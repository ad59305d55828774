package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.submission.artifact.ArtifactSweep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files of the artifact store a sweep removes. */
class ArtifactSweepTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Instant CUT_OFF = NOW.minus(Duration.ofHours(1));

    @TempDir
    Path root;

    private Path file(String relative, Instant modified) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    private static String sha(char c) {
        return String.valueOf(c).repeat(64);
    }

    @Test
    void onlyOldUnreferencedJarsAndOldUploadsGo() throws IOException {
        Instant old = NOW.minus(Duration.ofDays(2));
        Path referenced = file("aa/" + sha('a') + ".jar", old);
        Path unreferenced = file("bb/" + sha('b') + ".jar", old);
        Path young = file("cc/" + sha('c') + ".jar", NOW.minusSeconds(60));
        Path oldUpload = file(".upload-123.tmp", old);
        Path youngUpload = file(".upload-456.tmp", NOW.minusSeconds(5));
        Path savepoint = file("savepoints/job-1/savepoint-1/_metadata", old);
        Path checkpoint = file("checkpoints/job-1/" + sha('d').substring(0, 32) + "/chk-1/_metadata", old);
        Path misplaced = file("ee/" + sha('f') + ".jar", old); // not in its digest's directory: not the store's
        Path other = file("dd/notes.txt", old);

        ArtifactSweep.Result result = ArtifactSweep.sweep(root, Set.of(sha('a')), CUT_OFF);

        assertThat(result.jars()).containsExactly(sha('b'));
        assertThat(result.uploads()).isEqualTo(1);
        assertThat(result.bytes()).isEqualTo(6);
        assertThat(unreferenced).doesNotExist();
        assertThat(oldUpload).doesNotExist();
        assertThat(referenced).exists();
        assertThat(young).exists();
        assertThat(youngUpload).exists();
        assertThat(savepoint).exists();
        assertThat(checkpoint).exists();
        assertThat(misplaced).exists();
        assertThat(other).exists();
    }

    @Test
    void aStoreNotCreatedYetIsNothingToDo() throws IOException {
        assertThat(ArtifactSweep.sweep(root.resolve("missing"), Set.of(), NOW).jars()).isEmpty();
    }
}
