package dev.slipway.indexer.logs;

/** The free-text query cannot be parsed or is too large. */
public final class InvalidQueryException extends RuntimeException {

    public InvalidQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
