package dev.slipway.testkit;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka broker, one PostgreSQL and one ZooKeeper per JVM, started on first use and stopped at exit, shared by
 * every test class (JUnit extension and Quarkus test resource alike). When
 * {@code KAFKA_BOOTSTRAP_SERVERS} or {@code SLIPWAY_DB_URL} (with {@code SLIPWAY_DB_USER} and
 * {@code SLIPWAY_DB_PASSWORD}) are set, those servers are used and nothing is started.
 */
public final class SharedInfrastructure {

    public static final String KAFKA_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String DB_URL_ENV = "SLIPWAY_DB_URL";
    public static final String DB_USER_ENV = "SLIPWAY_DB_USER";
    public static final String DB_PASSWORD_ENV = "SLIPWAY_DB_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(SharedInfrastructure.class);

    private static KafkaEndpoint kafka;
    private static DatabaseEndpoint database;
    private static EmbeddedZooKeeperServer zooKeeper;

    private SharedInfrastructure() {
    }

    public static synchronized KafkaEndpoint kafka() {
        if (kafka == null) {
            Optional<String> external = env(KAFKA_ENV);
            if (external.isPresent()) {
                LOG.info("Using the external Kafka at {} ({} is set)", external.get(), KAFKA_ENV);
                kafka = new KafkaEndpoint(external.get());
            } else {
                // Stopped (then its storage deleted) at JVM exit by the broker's own hook.
                kafka = EmbeddedKafkaBroker.onRandomPorts().start().endpoint();
            }
        }
        return kafka;
    }

    public static synchronized DatabaseEndpoint database() {
        if (database == null) {
            Optional<String> external = env(DB_URL_ENV);
            if (external.isPresent()) {
                LOG.info("Using the external PostgreSQL at {} ({} is set)", external.get(), DB_URL_ENV);
                database = new DatabaseEndpoint(external.get(),
                        env(DB_USER_ENV).orElse("postgres"), env(DB_PASSWORD_ENV).orElse("postgres"));
            } else {
                database = EmbeddedPostgresServer.onRandomPort().start().endpoint();
            }
        }
        return database;
    }

    /** The ZooKeeper of Flink's high availability in this JVM, started on first use. */
    public static synchronized EmbeddedZooKeeperServer zooKeeper() {
        if (zooKeeper == null) {
            zooKeeper = EmbeddedZooKeeperServer.onRandomPort().start();
        }
        return zooKeeper;
    }

    private static Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
