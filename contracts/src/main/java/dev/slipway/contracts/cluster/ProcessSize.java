package dev.slipway.contracts.cluster;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The resources of one Flink process (one pod). */
public record ProcessSize(
        @JsonPropertyDescription("CPU cores, e.g. 0.5 or 2") double cpu,
        @JsonPropertyDescription("Total process memory in MiB") int memoryMb,
        @JsonPropertyDescription("Ephemeral disk in MiB; 0 means no explicit limit") int diskMb) {

    /** The bounds of a process the platform starts, wherever a size arrives (a cluster spec, Flink's request for a TaskManager). */
    public static final double MIN_CPU = 0.1;
    public static final double MAX_CPU = 64;
    public static final int MAX_MEMORY_MB = 256 * 1024;
    public static final int MAX_DISK_MB = 1024 * 1024;

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
