package dev.slipway.submission;

import dev.slipway.testkit.MavenRepositoryServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** A Maven repository over HTTP that job-submission fetches dependencies from ({@link #repository()} for the test). */
public class MavenRepositoryResource implements QuarkusTestResourceLifecycleManager {

    private static MavenRepositoryServer repository;

    public static MavenRepositoryServer repository() {
        return repository;
    }

    @Override
    public Map<String, String> start() {
        try {
            repository = MavenRepositoryServer.in(Files.createTempDirectory("slipway-maven-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("slipway.job-submission.jobs.dependencies.repositories", repository.url(),
                "slipway.job-submission.jobs.dependencies.timeout", "5s");
    }

    @Override
    public void stop() {
        if (repository != null) {
            repository.close();
        }
    }
}
