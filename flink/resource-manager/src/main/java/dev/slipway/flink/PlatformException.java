package dev.slipway.flink;

import java.time.Duration;
import java.util.Optional;

/**
 * A call the platform answered with an error; {@code retryable} says whether trying again can help, and
 * {@code retryAfter} how long the platform asked to be left alone first (its {@code Retry-After}), when it did.
 */
public final class PlatformException extends RuntimeException {

    private final boolean retryable;
    private final Duration retryAfter;

    public PlatformException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public PlatformException(String message, boolean retryable, Duration retryAfter) {
        super(message);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
