package dev.slipway.scheduler.messaging;

import dev.slipway.contracts.resources.ClockTicked;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Writes time into the log: every tick interval, a {@link ClockTicked} for each cluster this instance owns
 * whose timeout or back-off is due (before it, a tick changes nothing; other clusters' decisions cannot change
 * with time). Timeouts are then decided from the log, and a replay sees the same ticks. The host reads the
 * clock here, so the decider never has to.
 */
public final class TickEmitter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TickEmitter.class);

    private final Function<Instant, Set<String>> dueClusters;
    private final Clock clock;
    private final ResourceEventPublisher publisher;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "tick-emitter"));

    public TickEmitter(ResourceEventPublisher publisher, Function<Instant, Set<String>> dueClusters, Clock clock) {
        this.publisher = publisher;
        this.dueClusters = dueClusters;
        this.clock = clock;
    }

    public TickEmitter start(Duration interval) {
        executor.scheduleAtFixedRate(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            for (String cluster : dueClusters.apply(now)) {
                ClockTicked tick = new ClockTicked(UUID.randomUUID().toString(), cluster, now);
                publisher.publishUntraced(tick).subscribe().with(sent -> { },
                        error -> LOG.debugf("tick of %s not sent (the next one will do): %s", cluster, error.getMessage()));
            }
        } catch (RuntimeException e) {
            // A missed tick only delays a timeout until the next one.
            LOG.warnf("ticks not sent: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
