package dev.slipway.flink;

import java.time.Duration;

/** Waits between attempts to reach the platform: doubling from {@code first}, never longer than {@code max}. */
record Backoff(Duration first, Duration max) {

    Backoff {
        first = first.compareTo(max) > 0 ? max : first;
    }

    Duration next(Duration previous) {
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }
}
