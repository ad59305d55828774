package dev.slipway.provisioner.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.provisioner.local.ClassDataArchives.Launch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives written from the class lists of real JVMs on Flink 2.2's classpath, kept only when a JVM maps them. */
class ClassDataArchivesTest {

    private static final String VERSION = "2.2.0";
    private static final String CLASSPATH = LocalBackends.distributions().classpath(VERSION).orElseThrow();
    private static final String JAVA = LocalBackendSettings.currentJava();

    @TempDir
    Path directory;
    @TempDir
    Path conf;

    @Test
    void theFirstProcessListsItsClassesAndTheNextOnesMapTheArchiveWrittenFromThem() throws Exception {
        try (ClassDataArchives archives = new ClassDataArchives(directory, JAVA, Duration.ofMillis(100))) {
            Launch first = archives.launch(VERSION, CLASSPATH);
            assertThat(first.jvmFlags()).singleElement().asString().startsWith("-XX:DumpLoadedClassList=" + directory);
            assertThat(archives.launch(VERSION, CLASSPATH).jvmFlags()).as("one process lists at a time").isEmpty();

            assertThat(runFlinkClass(first.jvmFlags())).isZero();
            first.ready().run();

            Path archive = directory.resolve(archives.archiveName(VERSION, CLASSPATH));
            await("the archive written").atMost(Duration.ofSeconds(120)).until(() -> Files.isRegularFile(archive) && !archives.writing());
            assertThat(files()).as("no list or half-written archive left").containsExactly(archive.getFileName().toString());
            List<String> flags = archives.launch(VERSION, CLASSPATH).jvmFlags();
            assertThat(flags).containsExactly("-XX:SharedArchiveFile=" + archive);
            // Mapped with sharing required: a JVM that could not use it would exit non-zero.
            List<String> required = new ArrayList<>(flags);
            required.add(0, "-Xshare:on");
            assertThat(runFlinkClass(required)).isZero();
        }
    }

    @Test
    void aProcessThatListedNothingLetsTheNextOneTryAndAfterThreeTheClasspathRunsWithout() {
        try (ClassDataArchives archives = new ClassDataArchives(directory, JAVA, Duration.ofMillis(100))) {
            for (int attempt = 1; attempt <= 3; attempt++) {
                // Ended before it listed anything (it failed at start, say).
                Launch launch = archives.launch(VERSION, CLASSPATH);
                assertThat(launch.jvmFlags()).as("attempt " + attempt).singleElement().asString().startsWith("-XX:DumpLoadedClassList=");
                launch.ended().run();
                await().atMost(Duration.ofSeconds(10)).until(() -> !archives.writing());
            }
            assertThat(archives.launch(VERSION, CLASSPATH).jvmFlags()).isEmpty();
        }
    }

    @Test
    void whatADeadProvisionerLeftHalfDoneIsDeletedAndALiveOnesIsNot() throws IOException {
        Path dead = Files.writeString(directory.resolve("flink-2.2-0123456789abcdef.jsa.999999999-1.classlist"), "x\n");
        Path live = Files.writeString(directory.resolve("flink-2.2-0123456789abcdef.jsa." + ProcessHandle.current().pid()
                + "-1.classlist"), "x\n");

        new ClassDataArchives(directory, JAVA).close();

        assertThat(dead).doesNotExist();
        assertThat(live).exists();
    }

    @Test
    void aRebuiltJarNamesAnotherArchive(@TempDir Path jars) throws IOException {
        Path jar = Files.write(jars.resolve("job.jar"), new byte[] {1, 2, 3});
        try (ClassDataArchives archives = new ClassDataArchives(directory, JAVA)) {
            String before = archives.archiveName(VERSION, jar.toString());
            assertThat(archives.archiveName(VERSION, jar.toString())).isEqualTo(before).startsWith("flink-2.2-").endsWith(".jsa");

            Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));

            assertThat(archives.archiveName(VERSION, jar.toString())).isNotEqualTo(before);
            assertThat(archives.archiveName("1.20.3", jar.toString())).startsWith("flink-1.20-");
        }
    }

    @Test
    void withoutADirectoryNothingIsAdded() {
        try (ClassDataArchives archives = new ClassDataArchives(null, JAVA)) {
            assertThat(archives.launch(VERSION, CLASSPATH).jvmFlags()).isEmpty();
        }
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
