package dev.slipway.submission.artifact;

import dev.slipway.submission.config.SubmissionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Jars on disk, content-addressed by their SHA-256: the same jar uploaded twice is stored once, and a
 * stored file never changes (written to a temporary name, then moved into place). Blocking: call it from
 * a worker thread.
 *
 * <p>A jar stored for a request whose database transaction then fails stays on disk unreferenced until
 * {@link ArtifactCollector} removes it (after its grace period).
 */
@ApplicationScoped
public class ArtifactStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public ArtifactStore(SubmissionConfig config) {
        this.root = Path.of(config.jobs().artifactDir()).toAbsolutePath().normalize();
    }

    public record Stored(String sha256, long size, Path path) {
    }

    public Path root() {
        return root;
    }

    /** Copies the file into the store (the source is left alone). */
    public Stored store(Path source) throws IOException {
        Files.createDirectories(root);
        Path temporary = Files.createTempFile(root, ".upload-", ".tmp");
        try {
            MessageDigest digest = sha256();
            long size;
            try (InputStream in = new DigestInputStream(Files.newInputStream(source), digest);
                    OutputStream out = Files.newOutputStream(temporary)) {
                size = in.transferTo(out);
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            Path target = path(sha);
            if (!touchIfPresent(target)) {
                Files.createDirectories(target.getParent());
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return new Stored(sha, size, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Marks a stored jar as just used (false when it is not there): a jar that no version references yet is about to be (its transaction is in flight),
     * and the collector keeps what was modified within its grace period.
     */
    public boolean touchIfPresent(Path stored) throws IOException {
        try {
            Files.setLastModifiedTime(stored, FileTime.from(Instant.now()));
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    /** Where the jar with this digest is (or would be). */
    public Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 digest: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256 + ".jar");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
