package dev.slipway.scheduler.rest;

import dev.slipway.scheduling.Policy;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** A what-if: the knobs to change; absent ones keep the recorded value. */
public record PolicyBody(
        @Min(0) @Max(1000) Integer warmPool,
        @Min(1) @Max(604800) Long idleTimeoutSeconds,
        @Min(1) @Max(10000) Integer maxTaskManagers,
        @Min(1) @Max(86400) Long startTimeoutSeconds,
        @Min(1) @Max(100) Integer crashLoopThreshold,
        @Min(1) @Max(86400) Long initialBackoffSeconds) {

    Policy toPolicy() {
        return new Policy(warmPool, idleTimeoutSeconds, maxTaskManagers, startTimeoutSeconds, crashLoopThreshold,
                initialBackoffSeconds);
    }
}
