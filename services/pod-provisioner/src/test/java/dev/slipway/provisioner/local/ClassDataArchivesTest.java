package dev.slipway.provisioner.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.provisioner.local.ClassDataArchives.Launch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives written by real JVMs on Flink 2.2's classpath, kept only when a JVM maps them. */
class ClassDataArchivesTest {

    private static final String VERSION = "2.2.0";
    private static final String CLASSPATH = LocalBackends.distributions().classpath(VERSION).orElseThrow();
    private static final String JAVA = LocalBackendSettings.currentJava();

    @TempDir
    Path directory;
    @TempDir
    Path conf;

    @Test
    void theFirstProcessWritesTheArchiveAsItEndsAndTheNextOnesMapIt() throws Exception {
        ClassDataArchives archives = new ClassDataArchives(directory, JAVA);
        Launch first = archives.launch(VERSION, CLASSPATH);
        assertThat(first.jvmFlags()).singleElement().asString().startsWith("-XX:ArchiveClassesAtExit=" + directory);
        assertThat(archives.launch(VERSION, CLASSPATH).jvmFlags()).as("one process writes it at a time").isEmpty();

        assertThat(runFlinkClass(first.jvmFlags())).isZero();
        first.ended().run();

        Path archive = directory.resolve(archives.archiveName(VERSION, CLASSPATH));
        assertThat(archive).isRegularFile();
        assertThat(files()).as("nothing pending left").containsExactly(archive.getFileName().toString());
        List<String> flags = archives.launch(VERSION, CLASSPATH).jvmFlags();
        assertThat(flags).containsExactly("-XX:SharedArchiveFile=" + archive);
        // Mapped with sharing required: a JVM that could not use it would exit non-zero.
        List<String> required = new ArrayList<>(flags);
        required.add(0, "-Xshare:on");
        assertThat(runFlinkClass(required)).isZero();
    }

    @Test
    void aTornArchiveIsNeverUsedAndAfterThreeTheClasspathRunsWithout() throws Exception {
        ClassDataArchives archives = new ClassDataArchives(directory, JAVA);
        for (int attempt = 1; attempt <= 3; attempt++) {
            Launch launch = archives.launch(VERSION, CLASSPATH);
            Path pending = Path.of(launch.jvmFlags().get(0).substring("-XX:ArchiveClassesAtExit=".length()));
            // What a process killed while writing leaves: the start of an archive.
            Files.write(pending, new byte[4096]);
            launch.ended().run();
            assertThat(files()).as("attempt " + attempt).isEmpty();
        }
        assertThat(archives.launch(VERSION, CLASSPATH).jvmFlags()).isEmpty();
    }

    @Test
    void aProcessThatEndsWithoutWritingLetsTheNextOneTry() {
        ClassDataArchives archives = new ClassDataArchives(directory, JAVA);
        archives.launch(VERSION, CLASSPATH).ended().run();

        assertThat(archives.launch(VERSION, CLASSPATH).jvmFlags()).singleElement().asString().startsWith("-XX:ArchiveClassesAtExit=");
    }

    @Test
    void aRebuiltJarNamesAnotherArchive(@TempDir Path jars) throws IOException {
        Path jar = Files.write(jars.resolve("job.jar"), new byte[] {1, 2, 3});
        ClassDataArchives archives = new ClassDataArchives(directory, JAVA);
        String before = archives.archiveName(VERSION, jar.toString());
        assertThat(archives.archiveName(VERSION, jar.toString())).isEqualTo(before).startsWith("flink-2.2-").endsWith(".jsa");

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));

        assertThat(archives.archiveName(VERSION, jar.toString())).isNotEqualTo(before);
        assertThat(archives.archiveName("1.20.3", jar.toString())).startsWith("flink-1.20-");
    }

    @Test
    void withoutADirectoryNothingIsAdded() {
        assertThat(new ClassDataArchives(null, JAVA).launch(VERSION, CLASSPATH).jvmFlags()).isEmpty();
    }

    /** Runs Flink's sizing tool on a JobManager's configuration: Flink classes loaded, then an exit of its own. */
    private int runFlinkClass(List<String> flags) throws Exception {
        Files.writeString(conf.resolve("config.yaml"), "jobmanager.memory.process.size: 1024m\n");
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(flags);
        command.addAll(List.of("-cp", CLASSPATH, "org.apache.flink.runtime.util.bash.BashJavaUtils", "GET_JM_RESOURCE_PARAMS",
                "--configDir", conf.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor(60, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
