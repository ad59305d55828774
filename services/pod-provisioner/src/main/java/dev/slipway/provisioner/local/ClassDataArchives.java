package dev.slipway.provisioner.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One class-data-sharing archive per Flink classpath: the classes a JobManager or TaskManager loads at start, mapped from one
 * file instead of read and verified again from some sixty jars by every process. Measured on this 2-core machine with nothing
 * else running: a Flink 2.2 JobManager's REST API answers after 1.5 s instead of 2.45 s, a TaskManager registers after 2.0 s
 * instead of 3.0 s (a JobManager's archive serves TaskManagers as well as their own would).
 *
 * <p>JDK 17 writes such an archive as a process exits ({@code -XX:ArchiveClassesAtExit}), so the first process of a classpath
 * writes it (and starts about 0.8 s slower for it), one at a time; later processes map it. An archive is used only once a JVM
 * has mapped it with {@code -Xshare:on}: a torn file (a process killed while writing) would crash every JVM that maps it. The
 * archive's name carries a digest of the {@code java} and of each jar's path, size and modification time, so a rebuilt jar
 * or another JDK makes a new archive instead of one the JVM would refuse.
 */
final class ClassDataArchives {

    private static final Logger LOG = Logger.getLogger(ClassDataArchives.class);
    /** After this many archives that did not validate, a classpath runs without one rather than pay for writing it again. */
    private static final int MAX_FAILED_ATTEMPTS = 3;

    private final Path directory;
    private final String javaCommand;
    /** Archive file name of each classpath being written now, by a process that has not ended yet. */
    private final Map<String, Boolean> writing = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final AtomicInteger attempts = new AtomicInteger();

    /**
     * @param directory where archives are kept; null turns class-data sharing off
     */
    ClassDataArchives(Path directory, String javaCommand) {
        this.directory = directory;
        this.javaCommand = javaCommand;
    }

    /**
     * What a Flink process adds to its JVM flags, and what runs once it has ended, whichever way.
     */
    record Launch(List<String> jvmFlags, Runnable ended) {
        static final Launch NONE = new Launch(List.of(), () -> { });
    }

    Launch launch(String flinkVersion, String classpath) {
        if (directory == null) {
            return Launch.NONE;
        }
        String name;
        try {
            name = archiveName(flinkVersion, classpath);
        } catch (IOException e) {
            LOG.debugf("No class-data archive for Flink %s: %s", flinkVersion, e.getMessage());
            return Launch.NONE;
        }
        Path archive = directory.resolve(name);
        if (Files.isRegularFile(archive)) {
            return new Launch(List.of("-XX:SharedArchiveFile=" + archive), () -> { });
        }
        if (failures.computeIfAbsent(name, key -> new AtomicInteger()).get() >= MAX_FAILED_ATTEMPTS
                || writing.putIfAbsent(name, Boolean.TRUE) != null) {
            return Launch.NONE;
        }
        Path pending = directory.resolve(name + "." + ProcessHandle.current().pid() + "-" + attempts.incrementAndGet() + ".pending");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            writing.remove(name);
            LOG.warnf("No class-data archive for Flink %s: cannot create %s (%s)", flinkVersion, directory, e.getMessage());
            return Launch.NONE;
        }
        return new Launch(List.of("-XX:ArchiveClassesAtExit=" + pending), () -> {
            try {
                keepIfValid(flinkVersion, name, pending, archive, classpath);
            } finally {
                writing.remove(name);
            }
        });
    }

    private void keepIfValid(String flinkVersion, String name, Path pending, Path archive, String classpath) {
        try {
            if (Files.isRegularFile(pending) && maps(pending, classpath)) {
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.infof("Flink %s processes start from the class-data archive %s from now on", flinkVersion, archive);
                deleteOlderArchives(flinkVersion, name);
                return;
            }
            int failed = failures.get(name).incrementAndGet();
            LOG.infof("The class-data archive of Flink %s was not written whole (attempt %d of %d): the process ended before it"
                    + " could, or was killed", flinkVersion, failed, MAX_FAILED_ATTEMPTS);
        } catch (IOException e) {
            failures.get(name).incrementAndGet();
            LOG.warnf("Could not keep the class-data archive %s: %s", archive, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(pending);
        }
    }

    /** Whether a JVM maps the archive with sharing required: it exits non-zero (or crashes) on a torn or foreign file. */
    private boolean maps(Path candidate, String classpath) throws IOException, InterruptedException {
        Path errorFile = directory.resolve(candidate.getFileName() + ".hs_err.log");
        Process check = new ProcessBuilder(javaCommand, "-Xshare:on", "-XX:SharedArchiveFile=" + candidate,
                "-XX:ErrorFile=" + errorFile, "-cp", classpath, "-version")
                .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
        } finally {
            check.destroyForcibly();
            deleteQuietly(errorFile);
        }
    }

    /** An archive of the same Flink line for an earlier build of its jars is dead weight (some 50 MB). */
    private void deleteOlderArchives(String flinkVersion, String current) throws IOException {
        String prefix = "flink-" + FlinkDistributions.line(flinkVersion) + "-";
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(file -> {
                String fileName = file.getFileName().toString();
                return fileName.startsWith(prefix) && fileName.endsWith(".jsa") && !fileName.equals(current);
            }).forEach(ClassDataArchives::deleteQuietly);
        }
    }

    /** {@code flink-<line>-<digest>.jsa}, the digest over the java and each classpath entry's path, size and time. */
    String archiveName(String flinkVersion, String classpath) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path java = Path.of(javaCommand).toRealPath();
        update(digest, java.toString() + "|" + Files.size(java) + "|" + Files.getLastModifiedTime(java).toMillis());
        for (String entry : classpath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            update(digest, entry + "|" + Files.size(path) + "|" + Files.getLastModifiedTime(path).toMillis());
        }
        return "flink-" + FlinkDistributions.line(flinkVersion) + "-" + HexFormat.of().formatHex(digest.digest()).substring(0, 16)
                + ".jsa";
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debugf("Could not delete %s: %s", file, e.getMessage());
        }
    }
}
