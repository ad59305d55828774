package dev.slipway.scheduler.health;

import dev.slipway.scheduler.loop.DecisionLoop;
import dev.slipway.scheduler.messaging.ResourceView;
import dev.slipway.scheduler.messaging.SchedulerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the decision loop and the read view run and the revoked tokens are known; says what they have done. */
@Readiness
@ApplicationScoped
public class SchedulerReadiness implements HealthCheck {

    private final SchedulerRuntime runtime;

    public SchedulerReadiness(SchedulerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        DecisionLoop loop = runtime.loop();
        ResourceView view = runtime.view();
        boolean up = loop != null && loop.running() && view != null && view.running() && runtime.credentials().loaded()
                && runtime.credentials().running();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("resource-scheduler").status(up);
        if (loop != null && view != null) {
            response.withData("ownedClusters", loop.ownedClusters().size())
                    .withData("decisionsPublished", loop.decisionsPublished())
                    .withData("deadLettered", loop.deadLettered())
                    .withData("eventsRead", view.eventsRead());
        }
        return response.build();
    }
}
