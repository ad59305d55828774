package dev.slipway.provisioner.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The classpath local pods run holds what Flink's own binary distribution puts in {@code lib/} (recorded per release line in
 * {@code flink/dist-<line>/lib.txt}), so a job that runs on Flink runs here; a jar missing from it breaks the build, not a
 * user's job (a missing file connector once failed half of them with NoClassDefFoundError).
 */
class FlinkDistributionsTest {

    private static final Path FLINK = Path.of(System.getProperty("slipway.test.flink-distributions", "../../flink"))
            .toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"2.2.0", "1.20.3"})
    void theClasspathHoldsEveryJarOfTheDistributionsLib(String version) throws IOException {
        FlinkDistributions distributions = new FlinkDistributions(FLINK);
        String classpath = distributions.classpath(version).orElseThrow(() -> new AssertionError(
                "no classpath for " + version + " at " + distributions.classpathFile(version) + "; build flink/ first"));
        Set<String> artifacts = Arrays.stream(classpath.split(File.pathSeparator)).map(Path::of)
                .filter(jar -> jar.getFileName().toString().endsWith(".jar") && jar.getNameCount() >= 3)
                .map(jar -> jar.getParent().getParent().getFileName().toString()).collect(Collectors.toSet());
        List<String> lib = Files.readAllLines(FLINK.resolve("dist-" + FlinkDistributions.line(version)).resolve("lib.txt")).stream()
                .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertThat(lib).as("the recorded lib/").contains("flink-connector-files", "flink-csv", "flink-json", "flink-cep");
        for (String entry : lib) {
            String[] parts = entry.split("=");
            List<String> needed = parts.length == 1 ? List.of(parts[0].trim()) : List.of(parts[1].trim().split("\\s+"));
            assertThat(artifacts).as("Flink " + version + ": " + parts[0].trim() + " of lib/").containsAll(needed);
        }
    }

    @Test
    void eachVersionHasItsS3FileSystemPlugin() {
        FlinkDistributions distributions = new FlinkDistributions(FLINK);
        for (String version : List.of("2.2.0", "1.20.3")) {
            Path plugins = distributions.pluginsDirectory(version).orElseThrow();
            assertThat(plugins.resolve("s3-fs-presto")).isDirectoryContaining(file -> file.getFileName().toString()
                    .matches("flink-s3-fs-presto-" + FlinkDistributions.line(version).replace(".", "\\.") + "\\.\\d+\\.jar"));
        }
        assertThat(distributions.pluginsDirectory("1.19.0")).isEmpty();
    }
}
