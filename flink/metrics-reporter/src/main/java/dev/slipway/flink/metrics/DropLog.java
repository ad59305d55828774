package dev.slipway.flink.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts dropped samples and says so in the log at most once a minute: an unreachable broker must not
 * flood the Flink log (which the log agent ships too).
 */
final class DropLog {

    private static final Logger LOG = LoggerFactory.getLogger(DropLog.class);
    static final Duration EVERY = Duration.ofMinutes(1);

    private final Clock clock;
    private final String destination;
    private final AtomicLong total = new AtomicLong();
    private long unlogged;
    private Instant lastLogged = Instant.MIN;

    DropLog(Clock clock, String destination) {
        this.clock = clock;
        this.destination = destination;
    }

    void dropped(long count, String reason) {
        if (count <= 0) {
            return;
        }
        total.addAndGet(count);
        synchronized (this) {
            unlogged += count;
            Instant now = clock.instant();
            if (!now.isBefore(lastLogged.plus(EVERY))) {
                LOG.warn("Dropped {} metric samples for {} ({} in all); last reason: {}", unlogged, destination, total.get(), reason);
                unlogged = 0;
                lastLogged = now;
            }
        }
    }

    long total() {
        return total.get();
    }
}
