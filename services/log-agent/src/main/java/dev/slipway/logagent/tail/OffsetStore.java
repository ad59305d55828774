package dev.slipway.logagent.tail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The acknowledged position in every file, in one small text file that is replaced atomically (write
 * a temporary file, force it to disk, rename it over the old one), so a kill -9 at any moment leaves
 * either the old or the new state, never a torn one. One line per file:
 * {@code inode fingerprint generation offset path}, tab-separated; the path is for people.
 */
public final class OffsetStore {

    private static final String HEADER = "# slipway log-agent offsets v1: inode fingerprint generation offset path";

    /** The acknowledged position of one file: everything before {@code offset} of {@code generation} is on Kafka. */
    public record Entry(FileIdentity identity, int generation, long offset, String path) {
    }

    private final Path file;

    public OffsetStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public Map<FileIdentity, Entry> load() {
        Map<FileIdentity, Entry> entries = new HashMap<>();
        if (!Files.exists(file)) {
            return entries;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t", 5);
                if (parts.length < 4) {
                    continue;
                }
                FileIdentity identity = new FileIdentity(Long.parseLong(parts[0]), parts[1]);
                entries.put(identity, new Entry(identity, Integer.parseInt(parts[2]), Long.parseLong(parts[3]),
                        parts.length > 4 ? parts[4] : ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the offsets in " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the offsets in " + file + " are malformed: " + e.getMessage(), e);
        }
        return entries;
    }

    public void save(Collection<Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Entry entry : entries) {
            text.append(entry.identity().inode()).append('\t').append(entry.identity().fingerprint()).append('\t')
                    .append(entry.generation()).append('\t').append(entry.offset()).append('\t')
                    .append(entry.path().replace('\t', ' ').replace('\n', ' ')).append('\n');
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = parent.resolve(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel directory = FileChannel.open(parent, StandardOpenOption.READ)) {
            directory.force(true); // the rename itself survives a power cut
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform opens directories; the rename is still atomic
        }
    }
}
