package dev.slipway.flink;

/** A call the platform answered with an error; {@code retryable} says whether trying again can help. */
public final class PlatformException extends RuntimeException {

    private final boolean retryable;

    public PlatformException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
