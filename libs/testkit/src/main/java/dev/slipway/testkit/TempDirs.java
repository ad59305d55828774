package dev.slipway.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories removed when the JVM exits. */
final class TempDirs {

    private TempDirs() {
    }

    /**
     * At JVM exit, runs {@code stop} and then deletes {@code dir}, in one hook: hooks run concurrently,
     * and a server whose files vanish under it may halt the JVM with an error (Kafka does).
     */
    static void stopAndDeleteOnExit(Path dir, Runnable stop) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.run();
            } finally {
                delete(dir);
            }
        }, "stop-and-delete-" + dir.getFileName()));
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort at exit; the OS cleans /tmp eventually.
        }
    }
}
