package dev.slipway.provisioner.simulated;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** The simulation's transitions on one daemon thread, at the clock's instants. */
public final class ExecutorSimulationTimer implements SimulationTimer {

    private static final Logger LOG = Logger.getLogger(ExecutorSimulationTimer.class);

    private final Clock clock;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "simulated-pods");
        thread.setDaemon(true);
        return thread;
    });

    public ExecutorSimulationTimer(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void at(Instant due, Runnable task) {
        if (executor.isShutdown()) {
            return; // closed: the pods' files keep their future for the next provisioner
        }
        long delay = Math.max(0, Duration.between(clock.instant(), due).toNanos());
        executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // The executor would keep the exception in a future nobody reads.
                LOG.errorf(e, "A simulated pod's transition failed: %s", e.getMessage());
            }
        }, delay, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
