package dev.slipway.scheduler.health;

import dev.slipway.scheduler.loop.DecisionLoop;
import dev.slipway.scheduler.messaging.ResourceView;
import dev.slipway.scheduler.messaging.SchedulerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down once a worker that was started has stopped for good (the decision loop, the read view or the revocations' reader
 * ended on an error): the process still answers HTTP but no longer decides or reads, and only a restart brings it back.
 */
@Liveness
@ApplicationScoped
public class SchedulerLiveness implements HealthCheck {

    private final SchedulerRuntime runtime;

    public SchedulerLiveness(SchedulerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        DecisionLoop loop = runtime.loop();
        ResourceView view = runtime.view();
        boolean started = loop != null && view != null;
        // Before the start the startup probe waits; after it, every worker must still run.
        boolean up = !started || (loop.running() && view.running() && runtime.credentials().running());
        return HealthCheckResponse.named("resource-scheduler-workers").status(up).build();
    }
}
