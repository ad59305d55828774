package dev.slipway.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache ZooKeeper server (standalone, the server of Maven Central's {@code zookeeper} artifact) in this JVM: what
 * Flink's high availability elects JobManager leaders and keeps its job metadata in. Data under a given directory survives a
 * restart. The tick is one second, so Flink may ask for sessions from 2 s to 60 s.
 */
public final class EmbeddedZooKeeperServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeperServer.class);
    private static final int TICK_MILLIS = 1000;
    private static final int MAX_SESSION_MILLIS = 60_000;
    private static final int MAX_CLIENT_CONNECTIONS = 1000;

    private final Path dataDir;
    private final int port;
    private ZooKeeperServer server;
    private ServerCnxnFactory connections;

    private EmbeddedZooKeeperServer(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** A server on a random port with its data in a fresh temporary directory; stopped and deleted at JVM exit. */
    public static EmbeddedZooKeeperServer onRandomPort() {
        try {
            Path dir = Files.createTempDirectory("slipway-zk-");
            EmbeddedZooKeeperServer server = new EmbeddedZooKeeperServer(dir, FreePorts.next());
            TempDirs.stopAndDeleteOnExit(dir, server::stop);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server with durable data under {@code dataDir} on {@code port} (0 means a random one). */
    public static EmbeddedZooKeeperServer at(Path dataDir, int port) {
        return new EmbeddedZooKeeperServer(dataDir, port == 0 ? FreePorts.next() : port);
    }

    public synchronized EmbeddedZooKeeperServer start() {
        if (server != null) {
            return this;
        }
        FreePorts.requireFree(port, "ZooKeeper");
        long started = System.nanoTime();
        // Only the client port: no admin web server (it would take 8080), no four-letter words beyond the health check.
        System.setProperty("zookeeper.admin.enableServer", "false");
        System.setProperty("zookeeper.4lw.commands.whitelist", "ruok,srvr");
        try {
            Files.createDirectories(dataDir);
            ZooKeeperServer zooKeeper = new ZooKeeperServer(dataDir.resolve("snapshots").toFile(), dataDir.resolve("log").toFile(),
                    TICK_MILLIS);
            zooKeeper.setMaxSessionTimeout(MAX_SESSION_MILLIS);
            ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", port),
                    MAX_CLIENT_CONNECTIONS);
            factory.startup(zooKeeper);
            server = zooKeeper;
            connections = factory;
        } catch (IOException e) {
            throw new UncheckedIOException("ZooKeeper did not start on port " + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ZooKeeper started", e);
        }
        LOG.info("ZooKeeper ready at {} in {} ms (data in {})", connectString(), Duration.ofNanos(System.nanoTime() - started).toMillis(),
                dataDir);
        return this;
    }

    /** {@code host:port} as ZooKeeper clients (Flink's {@code high-availability.zookeeper.quorum}) take it. */
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public synchronized void stop() {
        if (connections != null) {
            connections.shutdown();
            connections = null;
        }
        if (server != null) {
            server.shutdown(true);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
