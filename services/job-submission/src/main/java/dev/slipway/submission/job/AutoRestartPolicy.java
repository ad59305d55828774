package dev.slipway.submission.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How often a run its JobManager lost is restarted by the platform: at most {@code maxAttempts} times per {@code window}, the
 * n-th restart of a window after {@code initialBackoff} x 2^(n-1), so a job that keeps losing its runs stops with its reason
 * instead of looping. Pure: the job's counters and the time come in.
 */
public record AutoRestartPolicy(int maxAttempts, Duration window, Duration initialBackoff) {

    /** The attempt this restart would be (1-based) and when it may be submitted; or none left in the window. */
    public record Attempt(int number, Instant window, Instant notBefore) {
    }

    /** Empty when the job had {@code maxAttempts} automatic restarts in the current window already. */
    public Optional<Attempt> next(int restartsInWindow, Instant windowFrom, Instant now) {
        boolean windowOver = windowFrom == null || !now.isBefore(windowFrom.plus(window));
        int done = windowOver ? 0 : restartsInWindow;
        if (done >= maxAttempts) {
            return Optional.empty();
        }
        int number = done + 1;
        Duration backoff = initialBackoff.multipliedBy(1L << Math.min(number - 1, 20));
        return Optional.of(new Attempt(number, windowOver ? now : windowFrom, now.plus(backoff)));
    }
}
