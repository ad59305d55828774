package dev.slipway.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's embedded binaries) run as a child process, with a {@code slipway}
 * database. Data under a given directory survives a restart.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    public static final String DATABASE = "slipway";
    private static final String USER = "postgres";

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** A server on a random port with its data in a fresh temporary directory; stopped and deleted at JVM exit. */
    public static EmbeddedPostgresServer onRandomPort() {
        try {
            Path dir = Files.createTempDirectory("slipway-pg-");
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(dir.resolve("data"), FreePorts.next());
            TempDirs.stopAndDeleteOnExit(dir, server::stop);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server with durable data under {@code dataDir} on {@code port} (0 means a random one). */
    public static EmbeddedPostgresServer at(Path dataDir, int port) {
        return new EmbeddedPostgresServer(dataDir, port == 0 ? FreePorts.next() : port);
    }

    public synchronized EmbeddedPostgresServer start() {
        if (postgres != null) {
            return this;
        }
        FreePorts.requireFree(port, "PostgreSQL");
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
            createDatabaseIfMissing();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start in " + dataDir + ": " + e.getMessage(), e);
        }
        LOG.info("PostgreSQL at {} started in {} ms", endpoint().jdbcUrl(), Duration.ofNanos(System.nanoTime() - started).toMillis());
        return this;
    }

    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
            } finally {
                postgres = null;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    public DatabaseEndpoint endpoint() {
        return new DatabaseEndpoint("jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE, USER, USER);
    }

    private void createDatabaseIfMissing() {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
            statement.execute("ALTER USER " + USER + " WITH PASSWORD '" + USER + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
        }
    }
}
