package dev.slipway.contracts.cluster;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The resources of one Flink process (one pod). */
public record ProcessSize(
        @JsonPropertyDescription("CPU cores, e.g. 0.5 or 2") double cpu,
        @JsonPropertyDescription("Total process memory in MiB") int memoryMb,
        @JsonPropertyDescription("Ephemeral disk in MiB; 0 means no explicit limit") int diskMb) {

    public ProcessSize {
        if (cpu <= 0) {
            throw new IllegalArgumentException("cpu must be positive, was " + cpu);
        }
        if (memoryMb <= 0) {
            throw new IllegalArgumentException("memoryMb must be positive, was " + memoryMb);
        }
        if (diskMb < 0) {
            throw new IllegalArgumentException("diskMb must not be negative, was " + diskMb);
        }
    }
}
