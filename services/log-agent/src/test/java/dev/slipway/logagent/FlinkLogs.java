package dev.slipway.logagent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

/** Writes log files the way a Flink process of the platform does: its layout, its directory, its pod.properties. */
final class FlinkLogs {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    static final LocalDateTime START = LocalDateTime.of(2026, 1, 31, 12, 0, 0);

    private FlinkLogs() {
    }

    /** {@code <root>/<cluster>/<pod>/} with its pod.properties. */
    static Path podDirectory(Path root, String cluster, String pod, String role) {
        try {
            Path dir = Files.createDirectories(root.resolve(cluster).resolve(pod));
            Properties p = new Properties();
            p.setProperty("cluster", cluster);
            p.setProperty("pod", pod);
            p.setProperty("role", role);
            try (var out = Files.newOutputStream(dir.resolve("pod.properties"))) {
                p.store(out, null);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line of {@code %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n}. */
    static String line(int second, String level, String logger, String message) {
        return String.format("%s %-5s %-60s %s - %s%n", TIME.format(START.plusSeconds(second)), level, logger, "[]", message);
    }

    static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
