package dev.slipway.scheduler.rest;

import dev.slipway.contracts.cluster.ProcessSize;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What Flink's resource manager asks for. */
public record ResourceRequestBody(
        @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9._:-]+", message = "letters, digits and . _ : - only")
        String requestId,
        @Min(1) @Max(1000) int count,
        ProcessSize taskManager) {
}
