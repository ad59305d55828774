package dev.slipway.cli;

/** A failure the user can act on: printed as one line ({@code error: ...}), exit code 1. */
public class CliException extends RuntimeException {

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
