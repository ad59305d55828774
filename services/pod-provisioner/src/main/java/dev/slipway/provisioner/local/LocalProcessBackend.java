package dev.slipway.provisioner.local;

import dev.slipway.contracts.cluster.ClusterIdGrammar;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.provisioning.FlinkJvmOptions;
import dev.slipway.provisioning.FlinkProcessConfiguration;
import dev.slipway.provisioning.JobManagerAddress;
import dev.slipway.provisioning.PlatformAccess;
import dev.slipway.provisioning.PodBackend;
import dev.slipway.provisioning.PodFactSink;
import dev.slipway.provisioning.PodFacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Pods as local JVM processes: a Flink JobManager or TaskManager of the cluster's version, started
 * from the Maven-built classpath, in {@code <root>/<cluster>/<pod>/} with its configuration and log.
 * Ready when its port answers (REST for a JobManager, RPC for a TaskManager); failed with the exit code
 * and the log's last lines when it dies. Processes are stopped on DeletePod and when the backend closes.
 */
public final class LocalProcessBackend implements PodBackend {

    private static final Logger LOG = Logger.getLogger(LocalProcessBackend.class);
    private static final int LAST_LINES = 15;
    private static final String JOB_MANAGER_FILE = "jobmanager.properties";
    /** In a JobManager's conf/: its cluster's resource-manager token, readable by its owner only. */
    static final String TOKEN_FILE = "cluster-token";

    private final LocalBackendSettings settings;
    private final FlinkProcessSizing sizing;
    private final ClassDataArchives classData;
    private final Clock clock;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService probes = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "local-pod-probes");
        thread.setDaemon(true);
        return thread;
    });
    private volatile PodFactSink sink = fact -> { };
    /** Writing a token file reads the cluster's current token inside it, so a revocation never lands between the two. */
    private final Object tokenFiles = new Object();

    /** A process of ours (or adopted after a restart) and whether its end was asked for. */
    private static final class Running {
        final LocalPod pod;
        final ProcessHandle process;
        /** Our child process, which tells its exit code; null for one adopted after a restart. */
        final Process child;
        /** What its class-data archive needs to hear of it (see {@link ClassDataArchives}). */
        final ClassDataArchives.Launch classData;
        /** Completes once the process ended and its end was recorded and reported. */
        volatile CompletableFuture<Void> ended = new CompletableFuture<>();
        volatile boolean stopping;

        Running(LocalPod pod, ProcessHandle process, Process child, ClassDataArchives.Launch classData) {
            this.pod = pod;
            this.process = process;
            this.child = child;
            this.classData = classData;
        }
    }

    public LocalProcessBackend(LocalBackendSettings settings, Clock clock) {
        this.settings = settings;
        this.sizing = new FlinkProcessSizing(settings.javaCommand());
        this.classData = new ClassDataArchives(settings.classDataArchives(), settings.javaCommand());
        this.clock = clock;
    }

    @Override
    public void start(PodFactSink factSink) {
        this.sink = factSink;
        for (Path directory : podDirectories()) {
            reconcile(directory);
        }
    }

    /** A pod directory found at start: its process is adopted if it still runs, reported lost otherwise. */
    private void reconcile(Path directory) {
        if (Files.exists(directory.resolve(LocalPod.DELETED_MARKER)) || !Files.exists(directory.resolve(LocalPod.FILE))) {
            return;
        }
        LocalPod pod;
        try {
            pod = LocalPod.read(directory);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Skipping %s: its pod record is unreadable (%s)", directory, e.getMessage());
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pod.pid()).filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().commandLine().map(line -> line.contains(directory.toString())).orElse(true));
        if (process.isPresent()) {
            LOG.infof("Adopting %s (pid %d), still running from before this provisioner started", pod.key(), pod.pid());
            report(PodFacts.created(pod.clusterId(), pod.podName(), pod.role(), pod.requestId(), node(), clock.instant()));
            watch(new Running(pod, process.get(), null, ClassDataArchives.Launch.NONE));
            renewAdoptedToken(pod.clusterId(), directory);
        } else {
            report(PodFacts.failed(pod.clusterId(), pod.podName(), "Lost", null,
                    "the process ended while no provisioner watched it; last lines:\n" + lastLines(pod), clock.instant()));
        }
    }

    @Override
    public void provision(ProvisionPod decision) {
        Path directory = podDirectory(decision.clusterId(), decision.podName());
        if (running.containsKey(key(decision.clusterId(), decision.podName()))) {
            return;
        }
        if (Files.exists(directory.resolve(LocalPod.DELETED_MARKER))) {
            LOG.infof("Not recreating %s/%s: it was deleted already (a redelivered decision)", decision.clusterId(), decision.podName());
            return;
        }
        try {
            launch(decision, directory);
        } catch (LaunchRefused e) {
            report(PodFacts.failed(decision.clusterId(), decision.podName(), e.reason, null, e.getMessage(), clock.instant()));
        } catch (IOException | RuntimeException e) {
            report(PodFacts.failed(decision.clusterId(), decision.podName(), "LaunchFailed", null,
                    "could not start the process: " + e.getMessage(), clock.instant()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void launch(ProvisionPod decision, Path directory) throws IOException, InterruptedException {
        String version = decision.spec().flinkVersion();
        String classpath = settings.distributions().classpath(version).orElseThrow(() -> new LaunchRefused("UnsupportedFlinkVersion",
                "no Flink " + version + " classpath at " + settings.distributions().classpathFile(version)
                        + "; build it with ./mvnw -B install -DskipTests, or pick a supported version (2.2 or 1.20)"));
        boolean taskManager = decision.role() == PodRole.TASK_MANAGER;
        // A TaskManager's RPC port; a JobManager's RPC, REST and blob ports, all distinct.
        int[] ports = freePorts(taskManager ? 1 : 3);
        JobManagerAddress jobManager = taskManager ? knownJobManager(decision.clusterId())
                : newJobManager(decision.clusterId(), ports[0], ports[1]);
        Path conf = Files.createDirectories(directory.resolve("conf"));
        Path tmp = Files.createDirectories(directory.resolve("tmp"));
        int probePort = taskManager ? ports[0] : jobManager.restPort();

        Map<String, String> configuration = new LinkedHashMap<>(FlinkProcessConfiguration.of(decision, jobManager,
                new PlatformAccess(settings.schedulerUrl(), "", settings.metrics(), settings.highAvailability())));
        if (configuration.remove(FlinkProcessConfiguration.CLUSTER_TOKEN) != null) {
            // The token goes into a file of its own, which a revocation rewrites while the JobManager runs.
            Path tokenFile = conf.resolve(TOKEN_FILE);
            writeToken(decision.clusterId(), tokenFile);
            configuration.put(FlinkProcessConfiguration.CLUSTER_TOKEN_FILE, tokenFile.toString());
        }
        configuration.put("io.tmp.dirs", tmp.toString());
        configuration.put("web.tmpdir", tmp.toString());
        configuration.put("blob.storage.directory", tmp.toString());
        // The platform's object store, for state and high-availability files on s3://; the secret key stays in this file
        // (Flink masks keys named secret in its logs) and never enters a decision or an event.
        configuration.putAll(settings.objectStorage().configuration());
        if (taskManager) {
            configuration.put("taskmanager.host", settings.host());
            configuration.put("taskmanager.bind-host", settings.host());
            configuration.put("taskmanager.rpc.port", Integer.toString(probePort));
        } else {
            configuration.put("jobmanager.bind-host", settings.host());
            configuration.put("rest.bind-address", settings.host());
            configuration.put("blob.server.port", Integer.toString(ports[2]));
        }
        writeConfiguration(conf, configuration);
        String sizingKey = version + "|" + decision.role() + "|" + decision.resources() + "|" + decision.spec().slotsPerTaskManager()
                + "|" + decision.spec().flinkConfiguration();
        FlinkProcessSizing.Sizing sized = sizing.sizing(sizingKey, taskManager, classpath, conf);
        configuration.putAll(sized.derivedConfiguration());
        writeConfiguration(conf, configuration);
        Files.writeString(conf.resolve("log4j.properties"), FlinkJvmOptions.log4jProperties());

        List<String> command = new ArrayList<>();
        command.add(settings.javaCommand());
        command.addAll(sized.jvmFlags());
        ClassDataArchives.Launch classDataLaunch = classData.launch(version, classpath);
        command.addAll(classDataLaunch.jvmFlags());
        command.addAll(FlinkJvmOptions.JAVA_17);
        command.addAll(settings.jvmOptions());
        command.add("-Dlog.file=" + LocalPod.logFile(directory, decision.podName()));
        command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        command.add("-cp");
        command.add(classpath);
        command.add(FlinkProcessConfiguration.mainClass(decision));
        command.add("--configDir");
        command.add(conf.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(LocalPod.outFile(directory, decision.podName()).toFile()));
        // The platform's own settings (its token secret, the operator token) are never the tenant's code's to read.
        builder.environment().keySet().removeIf(name -> name.startsWith("SLIPWAY_"));
        // Flink loads file systems such as S3 from here, each in its own class loader, as from a distribution's plugins/.
        settings.distributions().pluginsDirectory(version)
                .ifPresent(plugins -> builder.environment().put("FLINK_PLUGINS_DIR", plugins.toString()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            classDataLaunch.ended().run();
            throw e;
        }
        LocalPod pod = new LocalPod(decision.clusterId(), decision.podName(), decision.role(), decision.requestId(), process.pid(),
                probePort, directory);
        pod.write();
        LOG.infof("Started %s %s (pid %d, Flink %s) in %s", decision.role(), pod.key(), process.pid(), version, directory);
        report(PodFacts.created(pod.clusterId(), pod.podName(), pod.role(), pod.requestId(), node(), clock.instant()));
        watch(new Running(pod, process.toHandle(), process, classDataLaunch));
    }

    private void watch(Running pod) {
        running.put(pod.pod.key(), pod);
        probe(pod);
        pod.ended = pod.process.onExit().thenRun(() -> {
            pod.classData.ended().run();
            exited(pod);
        });
    }

    private void probe(Running pod) {
        if (!pod.process.isAlive() || pod.stopping) {
            return;
        }
        if (pod.pod.role() == PodRole.JOB_MANAGER ? restAnswers(pod.pod) : acceptsConnections(pod.pod)) {
            report(PodFacts.ready(pod.pod.clusterId(), pod.pod.podName(), pod.pod.role(), node(), pod.pod.address(settings.host()),
                    clock.instant()));
            pod.classData.ready().run();
        } else {
            probes.schedule(() -> probe(pod), 100, TimeUnit.MILLISECONDS);
        }
    }

    /** A TaskManager is ready once its RPC port takes connections. */
    private boolean acceptsConnections(LocalPod pod) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(settings.host(), pod.probePort()), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /**
     * A JobManager is ready once its REST API answers: it opens the port before its dispatcher is elected, and answers 503
     * until then, so an open port alone would send the first job submission into that 503.
     */
    private boolean restAnswers(LocalPod pod) {
        try {
            HttpURLConnection overview = (HttpURLConnection) URI.create("http://" + pod.address(settings.host()) + "/overview")
                    .toURL().openConnection();
            overview.setConnectTimeout(200);
            overview.setReadTimeout(2_000);
            try {
                return overview.getResponseCode() == 200;
            } finally {
                overview.disconnect();
            }
        } catch (IOException notYet) {
            return false;
        }
    }

    private void exited(Running pod) {
        running.remove(pod.pod.key());
        if (pod.stopping) {
            tombstone(pod.pod.directory());
            report(PodFacts.deleted(pod.pod.clusterId(), pod.pod.podName(), clock.instant()));
            return;
        }
        Integer exitCode = exitCode(pod);
        String reason = exitCode != null && exitCode == 137 ? "Killed" : "Error";
        LOG.warnf("%s exited on its own (exit %s)", pod.pod.key(), exitCode);
        report(PodFacts.failed(pod.pod.clusterId(), pod.pod.podName(), reason, exitCode,
                "the process exited" + (exitCode == null ? "" : " with code " + exitCode) + "; last lines of its log:\n"
                        + lastLines(pod.pod), clock.instant()));
    }

    @Override
    public void delete(DeletePod decision) {
        Running pod = running.get(key(decision.clusterId(), decision.podName()));
        if (pod == null) {
            // Gone already (failed, never started, or deleted before): say so, so the scheduler forgets it.
            Path directory = podDirectory(decision.clusterId(), decision.podName());
            if (Files.isDirectory(directory)) {
                tombstone(directory);
            }
            report(PodFacts.deleted(decision.clusterId(), decision.podName(), clock.instant()));
            return;
        }
        stop(pod);
    }

    private void stop(Running pod) {
        pod.stopping = true;
        pod.process.destroy();
        probes.schedule(() -> {
            if (pod.process.isAlive()) {
                LOG.warnf("%s did not stop within %s; killing it", pod.pod.key(), settings.stopGrace());
                pod.process.destroyForcibly();
            }
        }, settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops every process this backend runs and waits for them, so nothing outlives the service. */
    @Override
    public void close() {
        List<Running> all = new ArrayList<>(running.values());
        all.forEach(this::stop);
        for (Running pod : all) {
            try {
                pod.ended.get(settings.stopGrace().toMillis() + 2000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                pod.process.destroyForcibly();
            }
        }
        probes.shutdownNow();
        classData.close();
    }

    /** Pods this backend runs now, by {@code cluster/pod}. */
    public List<String> runningPods() {
        return running.keySet().stream().sorted().toList();
    }

    /** The process id of a running pod, for operators and tests. */
    public Optional<Long> pid(String clusterId, String podName) {
        return Optional.ofNullable(running.get(key(clusterId, podName))).map(pod -> pod.process.pid());
    }

    /** Rewrites the token file of every JobManager of the cluster with its current token, running or adopted. */
    @Override
    public void tokensRevoked(String clusterId) {
        if (!ClusterIdGrammar.valid(clusterId)) {
            return;
        }
        Path cluster = settings.root().resolve(clusterId);
        if (!Files.isDirectory(cluster)) {
            return;
        }
        try (Stream<Path> pods = Files.list(cluster)) {
            for (Path tokenFile : pods.map(pod -> pod.resolve("conf").resolve(TOKEN_FILE)).filter(Files::exists).toList()) {
                writeToken(clusterId, tokenFile);
                LOG.infof("Renewed the cluster token of %s after its tokens were revoked", tokenFile.getParent().getParent());
            }
        } catch (IOException e) {
            LOG.warnf(e, "Could not renew the tokens of cluster %s: %s", clusterId, e.getMessage());
        }
    }

    /** Its tokens may have been revoked while no provisioner watched it. */
    private void renewAdoptedToken(String clusterId, Path directory) {
        Path tokenFile = directory.resolve("conf").resolve(TOKEN_FILE);
        if (Files.exists(tokenFile)) {
            try {
                writeToken(clusterId, tokenFile);
            } catch (IOException e) {
                LOG.warnf(e, "Could not renew the cluster token of %s: %s", directory, e.getMessage());
            }
        }
    }

    private void writeToken(String clusterId, Path tokenFile) throws IOException {
        synchronized (tokenFiles) {
            Path written = tokenFile.resolveSibling(TOKEN_FILE + ".new");
            Files.deleteIfExists(written);
            Files.createFile(written, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(written, settings.clusterToken().apply(clusterId));
            // Atomically, so the resource manager never reads half a token.
            Files.move(written, tokenFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    public Path podDirectory(String clusterId, String podName) {
        return settings.root().resolve(clusterId).resolve(podName);
    }

    private JobManagerAddress newJobManager(String clusterId, int rpcPort, int restPort) throws IOException {
        JobManagerAddress address = new JobManagerAddress(settings.host(), rpcPort, restPort);
        Properties properties = new Properties();
        properties.setProperty("host", address.host());
        properties.setProperty("rpcPort", Integer.toString(address.rpcPort()));
        properties.setProperty("restPort", Integer.toString(address.restPort()));
        Path file = Files.createDirectories(settings.root().resolve(clusterId)).resolve(JOB_MANAGER_FILE);
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "the cluster's JobManager, for its TaskManagers");
        }
        return address;
    }

    /** Where this cluster's JobManager runs; exposed for clients such as job-submission and tests. */
    public Optional<JobManagerAddress> jobManager(String clusterId) {
        if (!ClusterIdGrammar.valid(clusterId)) {
            return Optional.empty(); // not one of ours, and never a path to follow
        }
        Path file = settings.root().resolve(clusterId).resolve(JOB_MANAGER_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(new JobManagerAddress(properties.getProperty("host"), Integer.parseInt(properties.getProperty("rpcPort")),
                Integer.parseInt(properties.getProperty("restPort"))));
    }

    private JobManagerAddress knownJobManager(String clusterId) {
        return jobManager(clusterId).orElseThrow(() -> new LaunchRefused("NoJobManager",
                "cluster " + clusterId + " has no JobManager yet; a TaskManager needs its address"));
    }

    private static void writeConfiguration(Path conf, Map<String, String> configuration) throws IOException {
        Files.writeString(conf.resolve(FlinkProcessConfiguration.CONFIG_FILE), FlinkProcessConfiguration.toYaml(configuration));
    }

    private List<Path> podDirectories() {
        if (!Files.isDirectory(settings.root())) {
            return List.of();
        }
        try (Stream<Path> clusters = Files.list(settings.root())) {
            List<Path> pods = new ArrayList<>();
            for (Path cluster : clusters.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> inCluster = Files.list(cluster)) {
                    inCluster.filter(Files::isDirectory).sorted().forEach(pods::add);
                }
            }
            return pods;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void tombstone(Path directory) {
        try {
            Files.writeString(directory.resolve(LocalPod.DELETED_MARKER), "");
        } catch (IOException e) {
            LOG.warnf("Could not mark %s deleted: %s", directory, e.getMessage());
        }
    }

    private static Integer exitCode(Running pod) {
        return pod.child == null ? null : pod.child.exitValue();
    }

    private static String lastLines(LocalPod pod) {
        List<String> lines = new ArrayList<>();
        for (Path file : List.of(pod.logFile(), pod.outFile())) {
            if (Files.exists(file)) {
                try {
                    List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
                    lines.addAll(all.subList(Math.max(0, all.size() - LAST_LINES), all.size()));
                } catch (IOException e) {
                    lines.add("(" + file.getFileName() + " unreadable: " + e.getMessage() + ")");
                }
            }
        }
        return String.join("\n", lines);
    }

    /**
     * Ports free now, distinct from each other: the sockets stay open until all are chosen (one at a
     * time, the system may hand the same port out twice; seen as a blob server on the REST port).
     */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static String node() {
        return "local";
    }

    private static String key(String clusterId, String podName) {
        return clusterId + "/" + podName;
    }

    private void report(PodFact fact) {
        try {
            sink.report(fact);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not report %s of %s", fact.getClass().getSimpleName(), fact.podName());
        }
    }

    /** A pod that cannot be started for a reason a person can fix. */
    private static final class LaunchRefused extends RuntimeException {
        final String reason;

        LaunchRefused(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }
}
