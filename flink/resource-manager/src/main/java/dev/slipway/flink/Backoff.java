package dev.slipway.flink;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Waits between attempts to reach the platform: steps doubling from {@code first}, never longer than {@code max}. The wait
 * after a failure is its step, or longer when the platform asked for longer ({@code Retry-After}), stretched at random by up
 * to {@code jitter} of itself: the thousands of JobManagers that one scheduler's restart or overload failed together must
 * not all come back in the same instant, or the retries alone keep it overloaded.
 */
final class Backoff {

    private final Duration first;
    private final Duration max;
    private final double jitter;
    private final DoubleSupplier random;

    Backoff(Duration first, Duration max, double jitter) {
        this(first, max, jitter, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** {@code random}: values in [0, 1). */
    Backoff(Duration first, Duration max, double jitter, DoubleSupplier random) {
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("the retry jitter is a fraction of the wait between 0 and 1, not " + jitter);
        }
        this.max = max;
        this.first = first.compareTo(max) > 0 ? max : first;
        this.jitter = jitter;
        this.random = random;
    }

    Duration first() {
        return first;
    }

    Duration next(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }

    /** How long to wait after an attempt at step {@code step} failed with {@code failure} (null: ended without one). */
    Duration delay(Duration step, Throwable failure) {
        Duration wait = step;
        if (failure instanceof PlatformException answered && answered.retryAfter().isPresent()
                && answered.retryAfter().get().compareTo(wait) > 0) {
            wait = answered.retryAfter().get();
        }
        long millis = wait.toMillis();
        return Duration.ofMillis(millis + (long) (millis * jitter * random.getAsDouble()));
    }
}
