package dev.slipway.provisioner.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the classpath of each Flink version is: {@code <dir>/dist-<major.minor>/target/flink.classpath},
 * written by the Maven build of {@code flink/dist-*} (flink-dist itself is not on Maven Central), and its plugins:
 * {@code <dir>/dist-<major.minor>/target/plugins/<plugin>/}.
 */
public final class FlinkDistributions {

    private final Path directory;

    public FlinkDistributions(Path directory) {
        this.directory = directory;
    }

    /** The classpath of the version's line (2.2.0 and 2.2.1 share dist-2.2), if that line is built. */
    public Optional<String> classpath(String flinkVersion) {
        Path file = classpathFile(flinkVersion);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The version's {@code plugins/} directory (Flink's {@code FLINK_PLUGINS_DIR}: a directory per plugin, such as the S3
     * file system), if its line has one.
     */
    public Optional<Path> pluginsDirectory(String flinkVersion) {
        Path plugins = directory.resolve("dist-" + line(flinkVersion)).resolve("target").resolve("plugins");
        return Files.isDirectory(plugins) ? Optional.of(plugins) : Optional.empty();
    }

    public Path classpathFile(String flinkVersion) {
        return directory.resolve("dist-" + line(flinkVersion)).resolve("target").resolve("flink.classpath");
    }

    static String line(String flinkVersion) {
        String[] parts = flinkVersion.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : flinkVersion;
    }
}
