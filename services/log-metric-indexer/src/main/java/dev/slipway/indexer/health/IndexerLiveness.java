package dev.slipway.indexer.health;

import dev.slipway.indexer.messaging.IndexerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Down once a reader that was started has stopped for good: only a restart brings ingest back. */
@Liveness
@ApplicationScoped
public class IndexerLiveness implements HealthCheck {

    private final IndexerRuntime runtime;

    public IndexerLiveness(IndexerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("indexer-workers").status(runtime.workersAlive()).build();
    }
}
