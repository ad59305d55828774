package dev.slipway.e2e;

import static io.restassured.RestAssured.given;

import dev.slipway.testkit.DatabaseEndpoint;
import dev.slipway.testkit.EmbeddedPostgresServer;
import dev.slipway.testkit.FreePorts;
import dev.slipway.testkit.MavenRepositoryServer;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The platform with job-submission in front, shared by the test classes that go through its API: job-submission as its
 * packaged app on an embedded PostgreSQL, and a Maven repository over HTTP holding the connectors the build copied
 * (target/connectors), which job-submission fetches dependencies from as it would from Maven Central. Started on first
 * use, stopped when the test JVM exits; each class deletes the clusters it made.
 */
public final class SubmissionPlatform implements AutoCloseable {

    public static final String TOKEN = "Bearer e2e-tenant-token-0123456789";
    /** Groups of the copied jars, by artifact, for their coordinates. */
    private static final Map<String, String> GROUPS = Map.of("flink-sql-connector-kafka", "org.apache.flink",
            "flink-connector-jdbc-core", "org.apache.flink", "flink-connector-jdbc-postgres", "org.apache.flink",
            "postgresql", "org.postgresql", "flink-connector-kafka", "org.apache.flink", "kafka-clients", "org.apache.kafka");
    private static SubmissionPlatform shared;

    public final Platform platform;
    public final EmbeddedPostgresServer postgres;
    public final MavenRepositoryServer maven;
    /** Replaced by {@link #killAndRestartSubmission()}; the port, and so the URL, stays. */
    private volatile ServiceProcess submission;
    private final int submissionPort = FreePorts.next();
    private final Map<String, String> submissionProperties;
    private int submissionRestarts;
    /** Coordinates published in {@link #maven}, by artifact id. */
    public final Map<String, String> connectors = new HashMap<>();
    /** Older versions of some of {@link #connectors} (target/connectors-older), by artifact: one library, two versions. */
    public final Map<String, String> olderConnectors = new HashMap<>();

    static synchronized SubmissionPlatform shared() throws Exception {
        if (shared == null) {
            SubmissionPlatform started = new SubmissionPlatform("jobs", null);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-submission-platform"));
            shared = started;
        }
        return shared;
    }

    /**
     * A platform of its own (a benchmark's): {@code repositories} are where job-submission fetches dependencies from, or
     * null for the test repository over HTTP ({@link #maven}).
     */
    public SubmissionPlatform(String name, String repositories) throws Exception {
        this(name, repositories, Map.of());
    }

    /** As {@link #SubmissionPlatform(String, String)}, with more settings of job-submission (a tenant's quota, say). */
    public SubmissionPlatform(String name, String repositories, Map<String, String> submissionSettings) throws Exception {
        platform = new Platform(name);
        postgres = EmbeddedPostgresServer.onRandomPort().start();
        maven = MavenRepositoryServer.in(platform.work.resolve("maven"));
        Path copied = Path.of(System.getProperty("slipway.e2e.connectors", "target/connectors"));
        connectors.putAll(maven.publishAll(copied, GROUPS));
        Path older = copied.resolveSibling(copied.getFileName() + "-older");
        if (Files.isDirectory(older)) {
            olderConnectors.putAll(maven.publishAll(older, Map.of("kafka-clients", "org.apache.kafka")));
        }
        DatabaseEndpoint db = postgres.endpoint();
        Map<String, String> properties = new HashMap<>();
        properties.put("kafka.bootstrap.servers", platform.broker.bootstrapServers());
        properties.put("quarkus.datasource.jdbc.url", db.jdbcUrl());
        properties.put("quarkus.datasource.reactive.url", db.reactiveUrl());
        properties.put("quarkus.datasource.username", db.username());
        properties.put("quarkus.datasource.password", db.password());
        properties.put("slipway.job-submission.cluster-token-secret", Platform.SECRET);
        properties.put("slipway.job-submission.topic-partitions", "2");
        properties.put("slipway.job-submission.tenants.e2e.token", TOKEN.substring("Bearer ".length()));
        properties.put("slipway.job-submission.jobs.artifact-dir", platform.work.resolve("artifacts").toString());
        properties.put("slipway.job-submission.jobs.poll-interval", "500ms");
        properties.put("slipway.job-submission.jobs.savepoints-kept", "2");
        properties.put("slipway.job-submission.jobs.dependencies.repositories", repositories == null ? maven.url() : repositories);
        properties.put("slipway.job-submission.job-managers.locator", "LOCAL");
        properties.put("slipway.job-submission.job-managers.provisioner-url", platform.provisioner.url());
        properties.putAll(submissionSettings);
        submissionProperties = Map.copyOf(properties);
        submission = startSubmission();
    }

    /** Each start logs to a file of its own: the killed one's log stays for whoever reads why. */
    private ServiceProcess startSubmission() throws IOException {
        String name = submissionRestarts == 0 ? "job-submission" : "job-submission-restart-" + submissionRestarts;
        return ServiceProcess.start(name, platform.repository.resolve("services/job-submission/target/quarkus-app"),
                submissionPort, submissionProperties, platform.work);
    }

    public ServiceProcess submission() {
        return submission;
    }

    /**
     * {@code kill -9} of job-submission, then the same service started again on the same port and database, as a
     * Deployment would: whatever it was doing is left half done, for the new process to finish.
     */
    public void killAndRestartSubmission() throws IOException, InterruptedException {
        submission.kill();
        submissionRestarts++;
        submission = startSubmission();
    }

    /** A new database on the platform's PostgreSQL (a user's warehouse beside the platform's own), as its endpoint. */
    public DatabaseEndpoint database(String name) throws SQLException {
        DatabaseEndpoint platformDb = postgres.endpoint();
        try (Connection connection = DriverManager.getConnection(platformDb.jdbcUrl(), platformDb.username(), platformDb.password());
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        String url = platformDb.jdbcUrl().substring(0, platformDb.jdbcUrl().lastIndexOf('/') + 1) + name;
        return new DatabaseEndpoint(url, platformDb.username(), platformDb.password());
    }

    public RequestSpecification api() {
        return given().baseUri(submission().url()).header("Authorization", TOKEN).accept("application/json");
    }

    @Override
    public void close() {
        submission.close();
        platform.close();
        maven.close();
        postgres.close();
    }
}
