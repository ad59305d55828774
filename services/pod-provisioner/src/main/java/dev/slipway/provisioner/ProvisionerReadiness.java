package dev.slipway.provisioner;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the backend has reconciled its pods, the revoked tokens are known and decisions are being applied (the
 * {@code decisions} channel reports its own health beside this: a channel that failed is not ready, nor live).
 */
@Readiness
@ApplicationScoped
public class ProvisionerReadiness implements HealthCheck {

    private final ProvisionerRuntime runtime;

    public ProvisionerReadiness(ProvisionerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("decision-applier")
                .status(runtime.started() && runtime.credentials().loaded() && runtime.credentials().running()).build();
    }
}
