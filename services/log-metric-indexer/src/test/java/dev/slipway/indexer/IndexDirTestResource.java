package dev.slipway.indexer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** Real Lucene indexes in a fresh temporary directory for each test run. */
public final class IndexDirTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            return Map.of("slipway.indexer.data-dir", Files.createTempDirectory("slipway-indexer-test").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // The directory is small and under the system's temporary directory.
    }
}
