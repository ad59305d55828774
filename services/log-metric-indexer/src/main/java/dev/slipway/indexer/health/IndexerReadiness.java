package dev.slipway.indexer.health;

import dev.slipway.indexer.messaging.IndexerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the log and metric readers and the lifecycle relay run, once the revoked tokens are known. */
@Readiness
@ApplicationScoped
public class IndexerReadiness implements HealthCheck {

    private final IndexerRuntime runtime;

    public IndexerReadiness(IndexerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("indexer").status(runtime.healthy()).build();
    }
}
