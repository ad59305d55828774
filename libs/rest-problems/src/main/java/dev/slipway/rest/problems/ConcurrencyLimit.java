package dev.slipway.rest.problems;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * At most so many of one costly operation at once; the next caller is answered 429 with {@code Retry-After} at once
 * instead of queueing behind them (a queue of costly requests only makes every answer late).
 */
public final class ConcurrencyLimit {

    /** Held while the operation runs; closing it lets the next caller in. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final Semaphore permits;
    private final int limit;
    private final String operation;
    private final Duration retryAfter;

    /** @param operation what is limited, for the answer ("replays") */
    public ConcurrencyLimit(int limit, String operation, Duration retryAfter) {
        if (limit < 1) {
            throw new IllegalArgumentException("the number of " + operation + " at once must be at least 1, not " + limit);
        }
        this.permits = new Semaphore(limit);
        this.limit = limit;
        this.operation = operation;
        this.retryAfter = retryAfter;
    }

    /** A permit, or 429 when {@code limit} callers hold one already. */
    public Permit enter() {
        if (!permits.tryAcquire()) {
            throw ProblemException.tooManyRequests("Too many " + operation + " at once",
                    limit + " " + operation + " are running, the most this service runs at once; try again in "
                            + Math.max(1, retryAfter.toSeconds()) + " s", retryAfter);
        }
        return new Permit() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (!closed) {
                    closed = true;
                    permits.release();
                }
            }
        };
    }

    /** Permits free right now. */
    public int available() {
        return permits.availablePermits();
    }
}
