package dev.slipway.provisioner.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * One class-data-sharing archive per Flink classpath: the classes a JobManager or TaskManager loads at start, mapped from one
 * file instead of read and verified again from some sixty jars by every process. Measured on this 2-core machine with nothing
 * else running: a Flink 2.2 JobManager's REST API answers after 1.5-1.9 s instead of 2.5-3.0 s, a TaskManager registers
 * after 2.0 s instead of 3.0 s (a JobManager's classes serve TaskManagers as well as their own would).
 *
 * <p>The first process of a classpath lists the classes it loads ({@code -XX:DumpLoadedClassList}); a few seconds after it is
 * ready, a JVM of the provisioner's writes the archive from that list in the background ({@code -Xshare:dump}, some 7 s of
 * one core), and later processes map it. No Flink process waits for it: JDK 17's other way, an archive written as a process
 * exits, kept a long-running JobManager from stopping within its grace period. An archive is used only once a JVM has mapped
 * it with {@code -Xshare:on}: a torn file would crash every JVM that maps it. The archive's name carries a digest of the
 * {@code java} and of each jar's path, size and modification time, so a rebuilt jar or another JDK makes a new archive
 * instead of one the JVM would refuse.
 */
final class ClassDataArchives implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClassDataArchives.class);
    /** After this many attempts that gave no archive, a classpath runs without one rather than pay for listing again. */
    private static final int MAX_FAILED_ATTEMPTS = 3;
    private static final Path NICE = Path.of("/usr/bin/nice");
    private static final Pattern ATTEMPT = Pattern.compile(".+\\.jsa\\.(\\d+)-\\d+\\..+");

    private final Path directory;
    private final String javaCommand;
    private final Duration listFor;
    /** Archive file names being written now, from a process's list. */
    private final Map<String, Boolean> writing = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final AtomicInteger attempts = new AtomicInteger();
    private final ScheduledExecutorService dumps = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "class-data-archives");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param directory where archives are kept; null turns class-data sharing off
     * @param listFor how long after it is ready the first process's list of classes is taken (the classes of its first
     *     seconds of work join those of its start)
     */
    ClassDataArchives(Path directory, String javaCommand, Duration listFor) {
        this.directory = directory;
        this.javaCommand = javaCommand;
        this.listFor = listFor;
        deleteLeftovers();
    }

    ClassDataArchives(Path directory, String javaCommand) {
        this(directory, javaCommand, Duration.ofSeconds(5));
    }

    /**
     * What a Flink process adds to its JVM flags, what runs once it is ready, and once it has ended (whichever way).
     */
    record Launch(List<String> jvmFlags, Runnable ready, Runnable ended) {
        static final Launch NONE = new Launch(List.of(), () -> { }, () -> { });
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
            return new Launch(List.of("-XX:SharedArchiveFile=" + archive), () -> { }, () -> { });
        }
        if (failures.computeIfAbsent(name, key -> new AtomicInteger()).get() >= MAX_FAILED_ATTEMPTS
                || writing.putIfAbsent(name, Boolean.TRUE) != null) {
            return Launch.NONE;
        }
        String attempt = name + "." + ProcessHandle.current().pid() + "-" + attempts.incrementAndGet();
        Path classList = directory.resolve(attempt + ".classlist");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            writing.remove(name);
            LOG.warnf("No class-data archive for Flink %s: cannot create %s (%s)", flinkVersion, directory, e.getMessage());
            return Launch.NONE;
        }
        AtomicBoolean taken = new AtomicBoolean();
        Runnable write = () -> {
            if (taken.compareAndSet(false, true)) {
                dumps.execute(() -> write(flinkVersion, name, classList, directory.resolve(attempt + ".pending"), archive,
                        classpath));
            }
        };
        return new Launch(List.of("-XX:DumpLoadedClassList=" + classList),
                () -> dumps.schedule(write, listFor.toMillis(), TimeUnit.MILLISECONDS),
                // Ended before its list was taken (killed, failed at start): what it listed still serves.
                write);
    }

    /** Whether an archive is being written now (for tests). */
    boolean writing() {
        return !writing.isEmpty();
    }

    private void write(String flinkVersion, String name, Path classList, Path pending, Path archive, String classpath) {
        try {
            Path listed = completeLines(classList);
            if (listed != null && dump(listed, pending, classpath) && maps(pending, classpath)) {
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.infof("Flink %s processes start from the class-data archive %s from now on", flinkVersion, archive);
                deleteOlderArchives(flinkVersion, name);
                return;
            }
            int failed = failures.get(name).incrementAndGet();
            LOG.infof("No class-data archive of Flink %s from this process (attempt %d of %d): it listed no classes, or the"
                    + " archive did not map", flinkVersion, failed, MAX_FAILED_ATTEMPTS);
        } catch (IOException e) {
            failures.get(name).incrementAndGet();
            LOG.warnf("Could not write the class-data archive %s: %s", archive, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(pending);
            deleteQuietly(classList);
            deleteQuietly(Path.of(classList + ".complete"));
            // Last: whoever sees no archive being written sees its list and half-written files gone too.
            writing.remove(name);
        }
    }

    /** A copy of the list up to its last whole line (the process may still be writing it); null when it listed nothing. */
    private static Path completeLines(Path classList) throws IOException {
        if (!Files.isRegularFile(classList)) {
            return null;
        }
        String text = Files.readString(classList, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return null;
        }
        return Files.writeString(Path.of(classList + ".complete"), text.substring(0, end + 1), StandardCharsets.UTF_8);
    }

    /** At the lowest CPU priority where {@code nice} exists: the Flink processes starting meanwhile come first. */
    private boolean dump(Path classList, Path pending, String classpath) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaCommand, "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + pending, "-cp", classpath));
        if (Files.isExecutable(NICE)) {
            command.addAll(0, List.of(NICE.toString(), "-n", "19"));
        }
        return run(command, pending, 300);
    }

    /** Whether a JVM maps the archive with sharing required: it exits non-zero (or crashes) on a torn or foreign file. */
    private boolean maps(Path candidate, String classpath) throws IOException, InterruptedException {
        return Files.isRegularFile(candidate) && run(List.of(javaCommand, "-Xshare:on", "-XX:SharedArchiveFile=" + candidate,
                "-cp", classpath, "-version"), candidate, 30);
    }

    private boolean run(List<String> command, Path about, int timeoutSeconds) throws IOException, InterruptedException {
        Path errorFile = directory.resolve(about.getFileName() + ".hs_err.log");
        List<String> withErrorFile = new ArrayList<>(command);
        withErrorFile.add(command.indexOf(javaCommand) + 1, "-XX:ErrorFile=" + errorFile);
        Process process = new ProcessBuilder(withErrorFile).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return process.waitFor(timeoutSeconds, TimeUnit.SECONDS) && process.exitValue() == 0;
        } finally {
            process.destroyForcibly();
            deleteQuietly(errorFile);
        }
    }

    /** Lists and half-written archives of a provisioner that stopped before it wrote them ({@code <archive>.<pid>-<n>.*}). */
    private void deleteLeftovers() {
        if (directory == null || !Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(file -> {
                Matcher attempt = ATTEMPT.matcher(file.getFileName().toString());
                return attempt.matches() && ProcessHandle.of(Long.parseLong(attempt.group(1))).map(ProcessHandle::isAlive)
                        .map(alive -> !alive).orElse(true);
            }).forEach(ClassDataArchives::deleteQuietly);
        } catch (IOException e) {
            LOG.debugf("Could not list %s: %s", directory, e.getMessage());
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

    @Override
    public void close() {
        dumps.shutdownNow();
    }
}
