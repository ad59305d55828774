package dev.slipway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the local platform lives and how to reach it. Ports and directories come from environment
 * variables (a system property of the same name wins, for tests); once {@code up} has run, the
 * addresses it used are recorded in {@code <state>/run/platform.properties} and every other command
 * reads them from there.
 */
public final class Settings {

    /** The tenant token job-submission accepts for local use (when it runs). */
    public static final String LOCAL_TENANT = "local";
    public static final String LOCAL_TENANT_TOKEN = "local-development-token";

    public final Path home;
    public final Path stateDir;
    public final int kafkaPort;
    public final int postgresPort;
    /** ZooKeeper of Flink's high availability, started with Kafka and PostgreSQL. */
    public final int zooKeeperPort;
    public final int schedulerPort;
    public final int provisionerPort;
    public final int submissionPort;
    public final int indexerPort;
    private final Properties recorded;

    private Settings(Path home, Path stateDir, int kafkaPort, int postgresPort, int zooKeeperPort, int schedulerPort, int provisionerPort,
            int submissionPort, int indexerPort, Properties recorded) {
        this.home = home;
        this.stateDir = stateDir;
        this.kafkaPort = kafkaPort;
        this.postgresPort = postgresPort;
        this.zooKeeperPort = zooKeeperPort;
        this.schedulerPort = schedulerPort;
        this.provisionerPort = provisionerPort;
        this.submissionPort = submissionPort;
        this.indexerPort = indexerPort;
        this.recorded = recorded;
    }

    public static Settings load() {
        Path home = Path.of(env("SLIPWAY_HOME", System.getProperty("slipway.home", "."))).toAbsolutePath().normalize();
        Path state = home.resolve(env("SLIPWAY_STATE_DIR", ".slipway")).toAbsolutePath().normalize();
        Properties recorded = new Properties();
        Path file = state.resolve("run").resolve("platform.properties");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                recorded.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Settings(home, state,
                port("SLIPWAY_KAFKA_PORT", 9092), port("SLIPWAY_POSTGRES_PORT", 5432), port("SLIPWAY_ZOOKEEPER_PORT", 2181),
                port("SLIPWAY_SCHEDULER_PORT", 8081), port("SLIPWAY_PROVISIONER_PORT", 8082),
                port("SLIPWAY_SUBMISSION_PORT", 8083), port("SLIPWAY_INDEXER_PORT", 8084), recorded);
    }

    static String env(String name, String defaultValue) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    private static int port(String name, int defaultValue) {
        String value = env(name, Integer.toString(defaultValue));
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new CliException(name + "=" + value + " is not a port number (1-65535)");
        }
    }

    public Path runDir() {
        return stateDir.resolve("run");
    }

    public Path logsDir() {
        return stateDir.resolve("logs");
    }

    public Path podsDir() {
        return stateDir.resolve("pods");
    }

    /** Where {@code ./slipway up} keeps the operator token of the platform it runs (readable by its user only). */
    public Path operatorTokenFile() {
        return runDir().resolve("operator-token");
    }

    /** The operator token of the platform {@code ./slipway up} started here, when there is one. */
    public Optional<String> localOperatorToken() {
        try {
            return Files.exists(operatorTokenFile()) ? Optional.of(Files.readString(operatorTokenFile()).trim()).filter(t -> !t.isEmpty())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The state directory as the user sees it: relative to the repository when it lies inside. */
    public String shown(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        return path.startsWith(cwd) ? cwd.relativize(path).toString() : path.toString();
    }

    public String schedulerUrl() {
        return env("SLIPWAY_SCHEDULER_URL", recorded.getProperty("scheduler.url", "http://127.0.0.1:" + schedulerPort));
    }

    public String provisionerUrl() {
        return env("SLIPWAY_PROVISIONER_URL", recorded.getProperty("provisioner.url", "http://127.0.0.1:" + provisionerPort));
    }

    /** The tenant API token the CLI calls job-submission with; {@code ./slipway up} configures the local one. */
    public String tenantToken() {
        return env("SLIPWAY_TENANT_TOKEN", LOCAL_TENANT_TOKEN);
    }

    public String submissionUrl() {
        return env("SLIPWAY_SUBMISSION_URL", recorded.getProperty("submission.url", "http://127.0.0.1:" + submissionPort));
    }

    public String indexerUrl() {
        return env("SLIPWAY_INDEXER_URL", recorded.getProperty("indexer.url", "http://127.0.0.1:" + indexerPort));
    }

    public String kafkaBootstrap() {
        return env("SLIPWAY_KAFKA_BOOTSTRAP", recorded.getProperty("kafka.bootstrap", "127.0.0.1:" + kafkaPort));
    }

    public String postgresUrl() {
        return recorded.getProperty("postgres.url", "jdbc:postgresql://127.0.0.1:" + postgresPort + "/slipway");
    }

    /** ZooKeeper of Flink's high availability, as JobManagers reach it. */
    public String zooKeeperQuorum() {
        return recorded.getProperty("zookeeper.quorum", "127.0.0.1:" + zooKeeperPort);
    }

    /** Records the addresses {@code up} started the platform on. */
    public void record(Properties addresses) {
        try {
            Files.createDirectories(runDir());
            try (OutputStream out = Files.newOutputStream(runDir().resolve("platform.properties"))) {
                addresses.store(out, "addresses of the platform ./slipway up started; read by every other command");
            }
            recorded.clear();
            recorded.putAll(addresses);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
