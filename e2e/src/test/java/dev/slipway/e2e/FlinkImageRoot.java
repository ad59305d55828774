package dev.slipway.e2e;

import dev.slipway.provisioning.FlinkJvmOptions;
import dev.slipway.provisioning.kubernetes.FlinkPodFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What a Flink image holds under {@code /opt}, laid out on disk for {@link ProcessKubelet}: {@code flink/lib} with the jars
 * local pods run (the distribution's classpath, {@code flink/dist-<line>/target/flink.classpath}: Flink's {@code lib/} of
 * the official image plus the platform's jars, as {@code flink/docker/Dockerfile} builds it), {@code flink/plugins},
 * {@code flink/conf} with a {@code config.yaml} and the log configuration, and an empty {@code flink/log}.
 */
final class FlinkImageRoot {

    private FlinkImageRoot() {
    }

    /** Lays out the image of Flink line {@code line} (2.2, 1.20) under {@code root}, which becomes the pod's {@code /opt}. */
    static Path layOut(Path repository, String line, Path root) throws IOException {
        Path flinkHome = root.resolve(Path.of(FlinkPodFactory.FLINK_HOME).getFileName().toString());
        Path dist = repository.resolve("flink/dist-" + line + "/target");
        Path lib = Files.createDirectories(flinkHome.resolve("lib"));
        Set<String> names = new HashSet<>();
        for (String entry : Files.readString(dist.resolve("flink.classpath")).trim().split(":")) {
            Path jar = Path.of(entry);
            if (!names.add(jar.getFileName().toString())) {
                throw new IllegalStateException("two jars named " + jar.getFileName() + " on the Flink " + line + " classpath");
            }
            Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar);
        }
        Path plugins = dist.resolve("plugins");
        if (Files.isDirectory(plugins)) {
            Files.createSymbolicLink(flinkHome.resolve("plugins"), plugins);
        }
        Path conf = Files.createDirectories(flinkHome.resolve("conf"));
        // The official image's config.yaml sets only defaults that every pod's dynamic properties override.
        Files.writeString(conf.resolve("config.yaml"), "parallelism.default: 1\n");
        Files.writeString(conf.resolve(FlinkPodFactory.LOG_CONFIGURATION), FlinkJvmOptions.log4jProperties());
        Files.createDirectories(flinkHome.resolve("log"));
        return root;
    }
}
