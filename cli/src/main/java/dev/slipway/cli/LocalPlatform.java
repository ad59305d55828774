package dev.slipway.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The platform's processes on this machine: the embedded Kafka broker and PostgreSQL (one process),
 * the resource-scheduler, the pod-provisioner (which runs the Flink processes) and job-submission when
 * it is built. Each runs in its own session (so a Ctrl-C in the terminal does not reach it), logs to
 * {@code <state>/logs/<name>.log}, and has a pid file {@code <state>/run/<name>.pid} with its start
 * time, so {@code down} stops exactly the processes {@code up} started.
 */
public final class LocalPlatform {

    public static final String INFRA = "infra";
    public static final String SCHEDULER = "resource-scheduler";
    public static final String PROVISIONER = "pod-provisioner";
    public static final String SUBMISSION = "job-submission";
    public static final String INDEXER = "log-metric-indexer";
    public static final String LOG_AGENT = "log-agent";
    /** In start order; stopped in reverse. */
    public static final List<String> SERVICES = List.of(INFRA, SCHEDULER, PROVISIONER, SUBMISSION, INDEXER, LOG_AGENT);
    /** The services that check the operator token; the others never get it. */
    private static final Set<String> READ_BY_OPERATOR = Set.of(SCHEDULER, PROVISIONER, INDEXER);
    /** The services that hold the cluster token secret (inherited from this environment); the others never get it. */
    private static final Set<String> SECRET_HOLDERS = Set.of(SCHEDULER, PROVISIONER, SUBMISSION, INDEXER);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(Long.parseLong(Settings.env("SLIPWAY_START_TIMEOUT", "180")));

    private final Settings settings;
    private final PrintStream out;

    public LocalPlatform(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** What one service is: how to run it, where it answers. */
    public record Service(String name, String title, int port, String url, String healthUrl, String envVar, Path jar) {
    }

    public Map<String, Service> services() {
        Map<String, Service> services = new LinkedHashMap<>();
        services.put(INFRA, new Service(INFRA, "Kafka + PostgreSQL + ZooKeeper", settings.kafkaPort, "127.0.0.1:" + settings.kafkaPort, null,
                "SLIPWAY_KAFKA_PORT", null));
        services.put(SCHEDULER, quarkus(SCHEDULER, settings.schedulerPort, "SLIPWAY_SCHEDULER_PORT"));
        services.put(PROVISIONER, quarkus(PROVISIONER, settings.provisionerPort, "SLIPWAY_PROVISIONER_PORT"));
        services.put(SUBMISSION, quarkus(SUBMISSION, settings.submissionPort, "SLIPWAY_SUBMISSION_PORT"));
        services.put(INDEXER, quarkus(INDEXER, settings.indexerPort, "SLIPWAY_INDEXER_PORT"));
        // The node log agent has no port: it tails the Flink pods' logs and ships them to Kafka.
        services.put(LOG_AGENT, new Service(LOG_AGENT, "log agent", 0, settings.podsDir().toString(), null, null,
                settings.home.resolve("services/log-agent/target/slipway-log-agent-" + SlipwayVersion.get() + ".jar")));
        return services;
    }

    private Service quarkus(String name, int port, String envVar) {
        String url = "http://127.0.0.1:" + port;
        return new Service(name, name, port, url, url + "/q/health/ready", envVar,
                settings.home.resolve("services").resolve(name).resolve("target/quarkus-app/quarkus-run.jar"));
    }

    // ---------------------------------------------------------------- up

    /** Starts what is not running yet; answers the services that run afterwards. */
    public void up() {
        requireBuilt();
        createDirectories();
        Map<String, Service> services = services();

        // Ports first, all at once: a clear message before anything starts.
        List<String> busy = new ArrayList<>();
        for (Service service : services.values()) {
            if (running(service.name()).isPresent() || service.port() == 0) {
                continue;
            }
            checkPort(service.port(), service.name().equals(INFRA) ? "Kafka" : service.title(), service.envVar(), busy);
            if (service.name().equals(INFRA)) {
                checkPort(settings.postgresPort, "PostgreSQL", "SLIPWAY_POSTGRES_PORT", busy);
                checkPort(settings.zooKeeperPort, "ZooKeeper", "SLIPWAY_ZOOKEEPER_PORT", busy);
            }
        }
        if (!busy.isEmpty()) {
            throw new CliException((busy.size() == 1 ? "port " : "ports ") + String.join(", ", busy)
                    + (busy.size() == 1 ? " is" : " are") + " in use by another process: stop it, or choose another port with the variable named");
        }

        Properties addresses = new Properties();
        addresses.setProperty("kafka.bootstrap", "127.0.0.1:" + settings.kafkaPort);
        addresses.setProperty("postgres.url", "jdbc:postgresql://127.0.0.1:" + settings.postgresPort + "/slipway");
        addresses.setProperty("zookeeper.quorum", "127.0.0.1:" + settings.zooKeeperPort);
        addresses.setProperty("scheduler.url", services.get(SCHEDULER).url());
        addresses.setProperty("provisioner.url", services.get(PROVISIONER).url());
        addresses.setProperty("submission.url", services.get(SUBMISSION).url());
        addresses.setProperty("indexer.url", services.get(INDEXER).url());
        // Other commands find the platform through this file; a restart keeps the ports of the running processes.
        Optional<Properties> before = recordedAddresses();
        if (before.isPresent() && SERVICES.stream().anyMatch(name -> running(name).isPresent())) {
            addresses.putAll(before.get());
        }
        settings.record(addresses);

        List<String> started = new ArrayList<>();
        try {
            for (Service service : services.values()) {
                Optional<ProcessHandle> existing = running(service.name());
                if (existing.isPresent()) {
                    out.printf("  %-20s already running (pid %d)%n", service.title(), existing.get().pid());
                    continue;
                }
                start(service);
                started.add(service.name());
            }
        } catch (RuntimeException e) {
            if (!started.isEmpty()) {
                out.println("  stopping what this run started: " + String.join(", ", started));
                for (int i = started.size() - 1; i >= 0; i--) {
                    stop(started.get(i));
                }
                sweepLeftovers(running(INFRA).isPresent() ? settings.podsDir() : settings.stateDir);
            }
            throw e;
        }
    }

    private void requireBuilt() {
        List<String> missing = new ArrayList<>();
        for (String name : List.of(SCHEDULER, PROVISIONER, SUBMISSION, INDEXER, LOG_AGENT)) {
            Path jar = services().get(name).jar();
            if (!Files.exists(jar)) {
                missing.add(settings.shown(jar));
            }
        }
        Path flinkClasspath = settings.home.resolve("flink/dist-2.2/target/flink.classpath");
        if (!Files.exists(flinkClasspath)) {
            missing.add(settings.shown(flinkClasspath));
        }
        if (!missing.isEmpty()) {
            throw new CliException("not built: " + String.join(", ", missing)
                    + " (./slipway up builds them; or ./mvnw -B -pl cli -am install -DskipTests)");
        }
    }

    /**
     * The operator token the services get and the CLI reads with: {@code SLIPWAY_OPERATOR_TOKEN} when set, else one made for
     * this platform on its first start and kept in a file only its user reads.
     */
    private String operatorToken() {
        String given = Settings.env("SLIPWAY_OPERATOR_TOKEN", "");
        if (!given.isEmpty()) {
            return given;
        }
        Optional<String> kept = settings.localOperatorToken();
        if (kept.isPresent()) {
            return kept.get();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String made = HexFormat.of().formatHex(random);
        Path file = settings.operatorTokenFile();
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, made + "\n", StandardCharsets.UTF_8);
        } catch (UnsupportedOperationException e) {
            throw new CliException("cannot keep the platform's operator token readable by you alone on the file system of "
                    + file.getParent() + ": put the state directory elsewhere (SLIPWAY_STATE_DIR), or set SLIPWAY_OPERATOR_TOKEN");
        } catch (IOException e) {
            throw new CliException("cannot write the platform's operator token to " + file + ": " + e.getMessage());
        }
        return made;
    }

    private void createDirectories() {
        try {
            Files.createDirectories(settings.runDir());
            Files.createDirectories(settings.logsDir());
            Files.createDirectories(settings.podsDir());
        } catch (IOException e) {
            throw new CliException("cannot create the state directory " + settings.stateDir + ": " + e.getMessage());
        }
    }

    private static void checkPort(int port, String what, String envVar, List<String> busy) {
        if (inUse(port)) {
            busy.add(port + " (" + what + ", " + envVar + ")");
        }
    }

    /** Something listens on the port, or it cannot be bound. */
    static boolean inUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
            return true;
        } catch (IOException free) {
            // nothing answers on loopback; can we bind it on every address, as the services do?
        }
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void start(Service service) {
        List<String> command = command(service);
        Path log = logFile(service.name());
        long started = System.nanoTime();
        out.printf("  %-20s starting", service.title());
        out.flush();
        Process process;
        try {
            Files.writeString(log, "\n=== " + Instant.now() + " ./slipway up: " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            List<String> detached = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
                detached.add("setsid");
            }
            detached.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(detached).directory(settings.home.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // In the environment, not on the command line, where anyone on the machine could read it; only the services
            // that check it get it.
            if (READ_BY_OPERATOR.contains(service.name())) {
                builder.environment().put("SLIPWAY_OPERATOR_TOKEN", operatorToken());
            } else {
                builder.environment().remove("SLIPWAY_OPERATOR_TOKEN");
            }
            if (!SECRET_HOLDERS.contains(service.name())) {
                builder.environment().remove("SLIPWAY_CLUSTER_TOKEN_SECRET");
            }
            process = builder.start();
        } catch (IOException e) {
            out.println();
            throw new CliException("cannot start " + service.name() + ": " + e.getMessage());
        }
        writePidFile(service, process.toHandle());
        long lastDot = System.nanoTime();
        while (true) {
            if (!process.isAlive()) {
                out.println(" failed");
                throw new CliException(service.name() + " exited with code " + process.exitValue() + " while starting; last lines of "
                        + settings.shown(log) + ":\n" + tail(log, 15));
            }
            if (ready(service)) {
                break;
            }
            if (System.nanoTime() - started > START_TIMEOUT.toNanos()) {
                out.println(" timed out");
                throw new CliException(service.name() + " was not ready within " + START_TIMEOUT.toSeconds() + " s (SLIPWAY_START_TIMEOUT); see "
                        + settings.shown(log));
            }
            if (System.nanoTime() - lastDot > TimeUnit.SECONDS.toNanos(2)) {
                out.print(".");
                out.flush();
                lastDot = System.nanoTime();
            }
            PlatformApi.sleep(250);
        }
        out.printf(" ready in %.1f s (pid %d)%n", (System.nanoTime() - started) / 1e9, process.pid());
    }

    private boolean ready(Service service) {
        if (service.name().equals(INFRA)) {
            return tail(logFile(INFRA), 5).lines().anyMatch("READY"::equals) && inUse(settings.kafkaPort);
        }
        if (service.name().equals(LOG_AGENT)) {
            return tail(logFile(LOG_AGENT), 20).contains("Log agent: logs under");
        }
        return Http.status(service.healthUrl(), Duration.ofSeconds(2)) == 200;
    }

    /** The web console is a page of job-submission; its browser reads the indexer and the scheduler across origins. */
    private String consoleOrigins() {
        return "-Dquarkus.http.cors.origins=http://localhost:" + settings.submissionPort + ",http://127.0.0.1:" + settings.submissionPort;
    }

    private List<String> command(Service service) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        String kafka = "127.0.0.1:" + settings.kafkaPort;
        switch (service.name()) {
            case INFRA -> {
                command.addAll(List.of("-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn", "-Dorg.slf4j.simpleLogger.log.kafka=warn",
                        "-Dorg.slf4j.simpleLogger.log.state.change.logger=warn",
                        "-Dorg.slf4j.simpleLogger.log.org.apache.zookeeper=warn",
                        "-cp", ownClasspath(), "dev.slipway.testkit.LocalInfrastructure",
                        settings.stateDir.toString(), Integer.toString(settings.kafkaPort), Integer.toString(settings.postgresPort),
                        Integer.toString(settings.zooKeeperPort)));
                return command;
            }
            case LOG_AGENT -> {
                Path jar = service.jar();
                command.addAll(List.of("-Xmx128m", "-Dslipway.log-agent.log-root=" + settings.podsDir(),
                        "-Dslipway.log-agent.bootstrap-servers=" + kafka,
                        "-Dslipway.log-agent.state-file=" + settings.stateDir.resolve("log-agent").resolve("offsets"),
                        "-cp", jar + File.pathSeparator + jar.resolveSibling("lib") + File.separator + "*",
                        "dev.slipway.logagent.LogAgentMain"));
                return command;
            }
            case INDEXER -> command.addAll(List.of("-Xmx512m", "-Dquarkus.http.port=" + service.port(),
                    "-Dkafka.bootstrap.servers=" + kafka,
                    consoleOrigins(),
                    "-Dslipway.indexer.data-dir=" + settings.stateDir.resolve("indexer")));
            case SCHEDULER -> command.addAll(List.of("@" + settings.home.resolve("services/resource-scheduler/jvm.options"),
                    "-Xmx384m", "-Dquarkus.http.port=" + service.port(), consoleOrigins(),
                    "-Dkafka.bootstrap.servers=" + kafka,
                    "-Dslipway.scheduler.instance-id=local"));
            case PROVISIONER -> command.addAll(List.of("-Xmx384m", "-Dquarkus.http.port=" + service.port(),
                    "-Dkafka.bootstrap.servers=" + kafka,
                    "-Dslipway.provisioner.scheduler-url=http://127.0.0.1:" + settings.schedulerPort,
                    "-Dslipway.provisioner.local.root=" + settings.podsDir(),
                    "-Dslipway.provisioner.high-availability.zookeeper-quorum=127.0.0.1:" + settings.zooKeeperPort,
                    "-Dslipway.provisioner.high-availability.storage-dir=" + settings.stateDir.resolve("ha").toUri(),
                    "-Dslipway.provisioner.local.distributions=" + settings.home.resolve("flink")));
            case SUBMISSION -> command.addAll(List.of("-Xmx384m", "-Dquarkus.http.port=" + service.port(),
                    "-Dkafka.bootstrap.servers=" + kafka,
                    "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://127.0.0.1:" + settings.postgresPort + "/slipway",
                    "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:" + settings.postgresPort + "/slipway",
                    "-Dquarkus.datasource.username=postgres", "-Dquarkus.datasource.password=postgres",
                    "-Dslipway.job-submission.job-managers.provisioner-url=http://127.0.0.1:" + settings.provisionerPort,
                    "-Dslipway.job-submission.jobs.artifact-dir=" + settings.stateDir.resolve("artifacts"),
                    "-Dslipway.job-submission.console.indexer-url=http://127.0.0.1:" + settings.indexerPort,
                    "-Dslipway.job-submission.console.scheduler-url=http://127.0.0.1:" + settings.schedulerPort,
                    "-Dslipway.job-submission.tenants." + Settings.LOCAL_TENANT + ".token=" + Settings.LOCAL_TENANT_TOKEN));
            default -> throw new IllegalArgumentException(service.name());
        }
        // A platform on this machine for its user: the development secret (when SLIPWAY_CLUSTER_TOKEN_SECRET is not set in
        // the environment the services inherit) is fine here, and the services refuse it elsewhere.
        command.add("-Dslipway.allow-development-secret=true");
        command.add("-jar");
        command.add(service.jar().toString());
        return command;
    }

    /** This JVM's real classpath (surefire passes it separately from its booter jar). */
    private static String ownClasspath() {
        return Settings.env("slipway.cli.classpath", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    }

    // ---------------------------------------------------------------- processes

    private Path logFile(String name) {
        return settings.logsDir().resolve(name + ".log");
    }

    private Path pidFile(String name) {
        return settings.runDir().resolve(name + ".pid");
    }

    private void writePidFile(Service service, ProcessHandle process) {
        Properties properties = new Properties();
        properties.setProperty("pid", Long.toString(process.pid()));
        process.info().startInstant().ifPresent(at -> properties.setProperty("started", Long.toString(at.toEpochMilli())));
        properties.setProperty("url", service.url());
        properties.setProperty("log", logFile(service.name()).toString());
        try (OutputStream file = Files.newOutputStream(pidFile(service.name()))) {
            properties.store(file, "started by ./slipway up; ./slipway down stops it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The recorded process of the service, if it still runs (the same process: pid and start time). */
    public Optional<ProcessHandle> running(String name) {
        Path file = pidFile(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        long pid = Long.parseLong(properties.getProperty("pid", "-1"));
        String started = properties.getProperty("started");
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(handle -> started == null || handle.info().startInstant().map(at -> at.toEpochMilli() == Long.parseLong(started))
                        .orElse(true));
    }

    private Optional<Properties> recordedAddresses() {
        Path file = settings.runDir().resolve("platform.properties");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
            return Optional.of(properties);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- down

    /** Stops every process {@code up} started, newest first, then any Flink process left under the state directory. */
    public void down() {
        boolean any = false;
        List<String> reversed = new ArrayList<>(SERVICES);
        Collections.reverse(reversed);
        int leftovers = 0;
        for (String name : reversed) {
            any |= stop(name);
            if (name.equals(PROVISIONER)) {
                // Flink processes only: PostgreSQL (daemonized by pg_ctl, so no child of its JVM) still belongs to infra.
                leftovers += sweepLeftovers(settings.podsDir());
            }
        }
        leftovers += sweepLeftovers(settings.stateDir);
        if (!any && leftovers == 0) {
            out.println("Nothing was running (state in " + settings.shown(settings.stateDir) + ").");
        }
    }

    private boolean stop(String name) {
        Optional<ProcessHandle> process = running(name);
        try {
            Files.deleteIfExists(pidFile(name));
        } catch (IOException e) {
            // stale pid file: harmless, running() checks the start time
        }
        if (process.isEmpty()) {
            return false;
        }
        String title = services().get(name).title();
        long started = System.nanoTime();
        out.printf("  %-20s stopping (pid %d)", title, process.get().pid());
        out.flush();
        // The provisioner stops its Flink processes first (up to stop-grace each, in parallel).
        Duration grace = name.equals(PROVISIONER) ? Duration.ofSeconds(45) : Duration.ofSeconds(30);
        boolean forced = terminate(process.get(), grace);
        out.printf(forced ? " killed after %.1f s%n" : " stopped in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return true;
    }

    /** SIGTERM, wait, SIGKILL; answers whether it had to kill. */
    private static boolean terminate(ProcessHandle process, Duration grace) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        } catch (Exception notInTime) {
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the sweep if it survives
            }
            return true;
        }
    }

    /**
     * Processes that outlived their parent: Flink pods recorded in {@code <pods>/<cluster>/<pod>/pod.properties}
     * and anything else whose command line names the state directory (a JobManager, TaskManager or the
     * PostgreSQL server of a process that was killed). Answers how many it stopped.
     */
    public int sweepLeftovers(Path under) {
        List<ProcessHandle> leftovers = leftovers(under);
        for (ProcessHandle process : leftovers) {
            out.printf("  left behind: %s; stopping it%n", describe(process));
            terminate(process, Duration.ofSeconds(10));
        }
        return leftovers.size();
    }

    /** Live processes that belong to this state directory and are not one of the recorded services. */
    public List<ProcessHandle> leftovers(Path under) {
        Set<Long> services = SERVICES.stream().map(this::running).flatMap(Optional::stream).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
        Set<Long> mine = Stream.concat(Stream.of(ProcessHandle.current()), ProcessHandle.current().parent().stream())
                .map(ProcessHandle::pid).collect(Collectors.toSet());
        ProcessHandle.current().parent().flatMap(ProcessHandle::parent).ifPresent(grand -> mine.add(grand.pid()));
        String marker = under.toString() + File.separator;
        List<ProcessHandle> found = new ArrayList<>();
        for (Path podFile : podFiles()) {
            Properties pod = new Properties();
            try (InputStream in = Files.newInputStream(podFile)) {
                pod.load(in);
                String directory = podFile.getParent().toString();
                ProcessHandle.of(Long.parseLong(pod.getProperty("pid", "-1"))).filter(ProcessHandle::isAlive)
                        .filter(handle -> handle.info().commandLine().map(line -> line.contains(directory)).orElse(false))
                        .ifPresent(found::add);
            } catch (IOException | NumberFormatException unreadable) {
                // a pod being written; the command-line scan below still sees its process
            }
        }
        ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(handle -> !services.contains(handle.pid()) && !mine.contains(handle.pid()))
                .filter(handle -> handle.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .filter(handle -> found.stream().noneMatch(known -> known.pid() == handle.pid()))
                .filter(handle -> services.stream().noneMatch(service -> isDescendantOf(handle, service)))
                .forEach(found::add);
        return found;
    }

    /** "Flink pod c/p (pid n)" when the command line names a pod directory, else the pid and the start of the command. */
    private String describe(ProcessHandle process) {
        String command = process.info().commandLine().orElse("?");
        String pods = settings.podsDir().toString() + File.separator;
        int at = command.indexOf(pods);
        if (at >= 0) {
            String[] parts = command.substring(at + pods.length()).split("[/\\s]");
            if (parts.length >= 2) {
                return "Flink pod " + parts[0] + "/" + parts[1] + " (pid " + process.pid() + ")";
            }
        }
        return "pid " + process.pid() + " " + (command.length() > 100 ? command.substring(0, 100) + "..." : command);
    }

    private static boolean isDescendantOf(ProcessHandle process, long ancestor) {
        Optional<ProcessHandle> parent = process.parent();
        while (parent.isPresent()) {
            if (parent.get().pid() == ancestor) {
                return true;
            }
            parent = parent.get().parent();
        }
        return false;
    }

    private List<Path> podFiles() {
        if (!Files.isDirectory(settings.podsDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.find(settings.podsDir(), 3, (path, attributes) -> path.getFileName().toString().equals("pod.properties"))) {
            return files.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    // ---------------------------------------------------------------- status and logs

    /** One line per service: its state, pid and address. */
    public record ServiceStatus(String name, String state, Long pid, String url, String log) {
    }

    public List<ServiceStatus> status() {
        List<ServiceStatus> statuses = new ArrayList<>();
        for (Service service : services().values()) {
            Optional<ProcessHandle> process = running(service.name());
            String url = switch (service.name()) {
                case INFRA -> settings.kafkaBootstrap() + " (Kafka), " + settings.postgresUrl() + ", " + settings.zooKeeperQuorum()
                        + " (ZooKeeper)";
                case SCHEDULER -> settings.schedulerUrl();
                case PROVISIONER -> settings.provisionerUrl();
                case INDEXER -> settings.indexerUrl();
                case LOG_AGENT -> settings.shown(settings.podsDir()) + " -> Kafka";
                default -> settings.submissionUrl();
            };
            String state;
            if (process.isEmpty()) {
                state = service.jar() == null || Files.exists(service.jar()) ? "down" : "not built";
            } else if (service.name().equals(INFRA)) {
                state = inUse(Integer.parseInt(settings.kafkaBootstrap().substring(settings.kafkaBootstrap().lastIndexOf(':') + 1)))
                        ? "up" : "starting";
            } else if (service.name().equals(LOG_AGENT)) {
                state = "up";
            } else {
                int health = Http.status(url + "/q/health/ready", Duration.ofSeconds(2));
                state = health == 200 ? "up" : health == -1 ? "not answering" : "not ready (" + health + ")";
            }
            statuses.add(new ServiceStatus(service.name(), state, process.map(ProcessHandle::pid).orElse(null), url,
                    settings.shown(logFile(service.name()))));
        }
        return statuses;
    }

    public Path log(String name) {
        return logFile(name);
    }

    /** The last {@code lines} lines of a file, or an empty string. */
    public static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "";
        }
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
