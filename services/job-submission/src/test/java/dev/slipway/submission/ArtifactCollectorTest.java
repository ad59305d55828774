package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.create;
import static dev.slipway.submission.TestSupport.elastic;
import static dev.slipway.submission.TestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.submission.artifact.ArtifactCollector;
import dev.slipway.submission.artifact.ArtifactStore;
import dev.slipway.submission.artifact.ArtifactSweep;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The collector against the real database: it keeps every jar a version references and what is young, one instance at a time. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TestingFlink.class)
class ArtifactCollectorTest {

    private static final FileTime LONG_AGO = FileTime.from(Instant.now().minus(Duration.ofDays(3)));

    @Inject
    ArtifactCollector collector;

    @Inject
    ArtifactStore artifacts;

    @Inject
    DataSource dataSource;

    /** A jar no other test stores: its own class name makes its digest unique. */
    private static byte[] uniqueJar() {
        return Jars.jar(null, JobsTest.MAIN, "dev.example.Unique" + UUID.randomUUID().toString().replace("-", ""));
    }

    private ArtifactStore.Stored store(byte[] bytes) throws Exception {
        Path source = Files.createTempFile("jar-", ".jar");
        try {
            Files.write(source, bytes);
            return artifacts.store(source);
        } finally {
            Files.deleteIfExists(source);
        }
    }

    @Test
    void unreferencedOldJarsAndLeftoverUploadsGoWhileReferencedAndYoungOnesStay() throws Exception {
        String cluster = create(TEAM_A, elastic(uniqueName("gc"), 0, 2));
        byte[] used = uniqueJar();
        byte[] library = uniqueJar();
        JobsTest.upload(TEAM_A, used, cluster, JobsTest.MAIN)
                .multiPart("dependency", "library.jar", library, "application/java-archive")
                .post("/api/v1/jobs").then().statusCode(201);
        ArtifactStore.Stored referenced = store(used);
        Files.setLastModifiedTime(referenced.path(), LONG_AGO);
        // A dependency is referenced by its version as the job's own jar is.
        ArtifactStore.Stored dependency = store(library);
        Files.setLastModifiedTime(dependency.path(), LONG_AGO);
        ArtifactStore.Stored orphan = store(uniqueJar());
        Files.setLastModifiedTime(orphan.path(), LONG_AGO);
        ArtifactStore.Stored young = store(uniqueJar());
        Path leftover = Files.createTempFile(artifacts.root(), ".upload-", ".tmp");
        Files.setLastModifiedTime(leftover, LONG_AGO);

        Optional<ArtifactSweep.Result> result = collector.collectOnce();

        assertThat(result).isPresent();
        assertThat(result.get().jars()).contains(orphan.sha256()).doesNotContain(referenced.sha256(), young.sha256(),
                dependency.sha256());
        assertThat(result.get().uploads()).isGreaterThanOrEqualTo(1);
        assertThat(orphan.path()).doesNotExist();
        assertThat(leftover).doesNotExist();
        assertThat(referenced.path()).exists();
        assertThat(dependency.path()).exists();
        assertThat(young.path()).exists();
    }

    @Test
    void storingAnOldUnreferencedJarAgainKeepsItThroughTheGracePeriod() throws Exception {
        byte[] bytes = uniqueJar();
        ArtifactStore.Stored first = store(bytes);
        Files.setLastModifiedTime(first.path(), LONG_AGO);
        // An upload of the same bytes, its transaction not committed yet: the stored file is reused, and touched.
        ArtifactStore.Stored again = store(bytes);
        assertThat(again.path()).isEqualTo(first.path());

        assertThat(collector.collectOnce()).isPresent().get()
                .satisfies(result -> assertThat(result.jars()).doesNotContain(first.sha256()));
        assertThat(first.path()).exists();
    }

    @Test
    void oneInstanceCollectsAtATime() throws Exception {
        ArtifactStore.Stored orphan = store(uniqueJar());
        Files.setLastModifiedTime(orphan.path(), LONG_AGO);
        try (Connection other = dataSource.getConnection();
                PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(?)")) {
            lock.setLong(1, ArtifactCollector.COLLECTOR_LOCK);
            lock.execute();
            try {
                assertThat(collector.collectOnce()).as("another instance is collecting").isEmpty();
                assertThat(orphan.path()).exists();
            } finally {
                try (PreparedStatement unlock = other.prepareStatement("select pg_advisory_unlock(?)")) {
                    unlock.setLong(1, ArtifactCollector.COLLECTOR_LOCK);
                    unlock.execute();
                }
            }
        }
        assertThat(collector.collectOnce()).isPresent();
        assertThat(orphan.path()).doesNotExist();
    }
}
