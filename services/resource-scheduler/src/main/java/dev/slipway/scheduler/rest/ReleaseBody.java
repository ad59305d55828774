package dev.slipway.scheduler.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A TaskManager Flink no longer needs. */
public record ReleaseBody(@NotBlank @Size(max = 253) String podName, @Size(max = 1000) String reason) {
}
