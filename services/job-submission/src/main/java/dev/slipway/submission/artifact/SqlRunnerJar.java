package dev.slipway.submission.artifact;

import dev.slipway.flink.sql.SqlRunner;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The SQL runner jar (flink/sql-runner), bundled into this service at build time and put into the artifact
 * store on first use: every SQL job version records the runner it was submitted with, so a rollback runs
 * the same bytes even after an upgrade of the platform.
 */
@ApplicationScoped
public class SqlRunnerJar {

    static final String RESOURCE = "sql-runner/slipway-flink-sql-runner.jar";
    public static final String FILENAME = "slipway-sql-runner.jar";
    public static final String ENTRY_CLASS = SqlRunner.class.getName();

    private final ArtifactStore artifacts;
    private volatile ArtifactStore.Stored stored;

    public SqlRunnerJar(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    /** The runner in the artifact store (blocking, on a worker thread). */
    public ArtifactStore.Stored stored() throws IOException {
        ArtifactStore.Stored known = stored;
        if (known != null && artifacts.touchIfPresent(known.path())) {
            return known; // touched: about to be referenced, so kept by the collector's grace period
        }
        synchronized (this) {
            InputStream bundled = SqlRunnerJar.class.getClassLoader().getResourceAsStream(RESOURCE);
            if (bundled == null) {
                throw new IOException("this build of job-submission has no SQL runner (" + RESOURCE
                        + " is missing): build it with ./mvnw package, which bundles flink/sql-runner");
            }
            Path temporary = Files.createTempFile("slipway-sql-runner-", ".jar");
            try (bundled) {
                Files.copy(bundled, temporary, StandardCopyOption.REPLACE_EXISTING);
                stored = artifacts.store(temporary);
                return stored;
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
