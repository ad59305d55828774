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
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The platform with job-submission in front, shared by the test classes that go through its API: job-submission as its
 * packaged app on an embedded PostgreSQL, and a Maven repository over HTTP holding the connectors the build copied
 * (target/connectors), which job-submission fetches dependencies from as it would from Maven Central. Started on first
 * use, stopped when the test JVM exits; each class deletes the clusters it made.
 */
final class SubmissionPlatform {

    static final String TOKEN = "Bearer e2e-tenant-token-0123456789";
    /** Groups of the copied jars, by artifact, for their coordinates. */
    private static final Map<String, String> GROUPS = Map.of("flink-sql-connector-kafka", "org.apache.flink",
            "flink-connector-jdbc-core", "org.apache.flink", "flink-connector-jdbc-postgres", "org.apache.flink",
            "postgresql", "org.postgresql", "flink-connector-kafka", "org.apache.flink", "kafka-clients", "org.apache.kafka");
    private static final Pattern JAR = Pattern.compile("(.+?)-(\\d.*)\\.jar");
    private static SubmissionPlatform shared;

    final Platform platform;
    final EmbeddedPostgresServer postgres;
    final MavenRepositoryServer maven;
    final ServiceProcess submission;
    /** Coordinates published in {@link #maven}, by artifact id. */
    final Map<String, String> connectors = new HashMap<>();

    static synchronized SubmissionPlatform shared() throws Exception {
        if (shared == null) {
            SubmissionPlatform started = new SubmissionPlatform();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-submission-platform"));
            shared = started;
        }
        return shared;
    }

    private SubmissionPlatform() throws Exception {
        platform = new Platform("jobs");
        postgres = EmbeddedPostgresServer.onRandomPort().start();
        maven = MavenRepositoryServer.in(platform.work.resolve("maven"));
        publishConnectors(Path.of(System.getProperty("slipway.e2e.connectors", "target/connectors")));
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
        properties.put("slipway.job-submission.jobs.dependencies.repositories", maven.url());
        properties.put("slipway.job-submission.job-managers.locator", "LOCAL");
        properties.put("slipway.job-submission.job-managers.provisioner-url", platform.provisioner.url());
        submission = ServiceProcess.start("job-submission", platform.repository.resolve("services/job-submission/target/quarkus-app"),
                FreePorts.next(), properties, platform.work);
    }

    private void publishConnectors(Path directory) throws IOException {
        try (var jars = Files.list(directory)) {
            for (Path jar : jars.toList()) {
                Matcher name = JAR.matcher(jar.getFileName().toString());
                if (name.matches() && GROUPS.containsKey(name.group(1))) {
                    String coordinate = GROUPS.get(name.group(1)) + ":" + name.group(1) + ":" + name.group(2);
                    maven.publish(coordinate, jar);
                    connectors.put(name.group(1), coordinate);
                }
            }
        }
        if (!connectors.keySet().equals(GROUPS.keySet())) {
            throw new IllegalStateException("the connectors of the e2e build are missing from " + directory
                    + " (./mvnw -pl e2e generate-test-resources copies them); found " + connectors.keySet());
        }
    }

    RequestSpecification api() {
        return given().baseUri(submission.url()).header("Authorization", TOKEN).accept("application/json");
    }

    private void close() {
        submission.close();
        platform.close();
        maven.close();
        postgres.close();
    }
}
