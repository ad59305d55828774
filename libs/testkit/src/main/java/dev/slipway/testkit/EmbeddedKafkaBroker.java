package dev.slipway.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one), running in this JVM. Its
 * storage is formatted once under a directory; {@link #stop()} and {@link #start()} again keep the
 * data and the ports, so a restart can be tested.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String CONTROLLER = "CONTROLLER";

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path dataDir, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** A broker on random ports with storage in a fresh temporary directory; stopped and deleted at JVM exit. */
    public static EmbeddedKafkaBroker onRandomPorts() {
        try {
            Path dir = Files.createTempDirectory("slipway-kafka-");
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, FreePorts.next(), FreePorts.next());
            TempDirs.stopAndDeleteOnExit(dir, broker::stop);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A broker with durable storage under {@code dataDir} on the given ports (0 means a random one). */
    public static EmbeddedKafkaBroker at(Path dataDir, int port, int controllerPort) {
        return new EmbeddedKafkaBroker(dataDir,
                port == 0 ? FreePorts.next() : port,
                controllerPort == 0 ? FreePorts.next() : controllerPort);
    }

    /** Formats the storage if it is new, then starts the broker and waits until it serves. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        FreePorts.requireFree(port, "Kafka");
        FreePorts.requireFree(controllerPort, "Kafka controller");
        long started = System.nanoTime();
        KafkaConfig config = new KafkaConfig(properties(), false);
        formatIfNew();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        LOG.info("Kafka broker at {} (storage {}) started in {} ms", bootstrapServers(), dataDir,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return this;
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public boolean running() {
        return server != null;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public KafkaEndpoint endpoint() {
        return new KafkaEndpoint(bootstrapServers());
    }

    public Path dataDir() {
        return dataDir;
    }

    private Path logDir() {
        return dataDir.resolve("log");
    }

    private void formatIfNew() {
        if (Files.exists(logDir().resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir());
            new Formatter()
                    .setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir().toString()))
                    .setMetadataLogDirectory(logDir().toString())
                    .setControllerListenerName(CONTROLLER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("formatting Kafka storage in " + logDir() + " failed: " + out, e);
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", CONTROLLER);
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        p.put("log.dirs", logDir().toString());
        p.put("metadata.log.dir", logDir().toString());
        p.put("num.partitions", "4");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        // -Dslipway.kafka.<broker key>=<value> sets any other broker setting (benchmarks try variants this way).
        return PropertyOverrides.apply("slipway.kafka.", p);
    }
}
