package dev.slipway.loadtests;

import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.telemetry.LogRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Flink-like log lines for the log benchmarks: mostly INFO, some stack traces, messages of 6-20 words over a small
 * vocabulary, spread over {@link #CLUSTERS} clusters of {@link #PODS} pods. Seeded: every run indexes the same lines.
 */
final class LogLines {

    static final String[] WORDS = {"checkpoint", "barrier", "savepoint", "watermark", "backpressure", "slot", "buffer",
        "network", "partition", "operator", "source", "sink", "window", "state", "rocksdb", "heartbeat", "timeout", "restart",
        "failover", "registration", "resource", "allocation", "deployment", "kafka", "offset", "commit", "latency", "throughput"};
    static final int CLUSTERS = 20;
    static final int PODS = 10;
    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "WARN", "DEBUG",
        "INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "INFO", "WARN", "DEBUG", "ERROR"};

    private final SplittableRandom random = new SplittableRandom(42);

    /** Line number {@code i}, written at {@code at}; its event id depends on {@code i} only. */
    LogRecord line(long i, Instant at) {
        int cluster = random.nextInt(CLUSTERS);
        int pod = random.nextInt(PODS);
        String clusterId = "bench-" + cluster;
        String podName = clusterId + (pod == 0 ? "-jm-0" : "-tm-" + pod);
        String level = LEVELS[random.nextInt(LEVELS.length)];
        String message = switch (random.nextInt(6)) {
            case 0 -> "Completed checkpoint " + i + " for job job-" + cluster + " (" + random.nextInt(100_000) + " bytes, "
                    + random.nextInt(2_000) + " ms).";
            case 1 -> "Source: datagen (" + (pod + 1) + "/" + PODS + ") switched from DEPLOYING to RUNNING.";
            case 2 -> "Received resource requirements from job job-" + cluster + ": [ResourceRequirement{slots=" + random.nextInt(8) + "}]";
            case 3 -> words(8 + random.nextInt(12));
            case 4 -> "Triggering checkpoint " + i + " @ " + at.toEpochMilli() + " for job job-" + cluster + ".";
            default -> level.equals("ERROR") ? trace(i) : "Freeing task resources for " + words(3) + " (" + UUID.randomUUID() + ").";
        };
        return new LogRecord(UUID.nameUUIDFromBytes(("line-" + i).getBytes(StandardCharsets.UTF_8)).toString(), clusterId, at,
                podName, pod == 0 ? PodRole.JOB_MANAGER : PodRole.TASK_MANAGER, "job-" + cluster, level,
                "org.apache.flink.runtime." + WORDS[random.nextInt(WORDS.length)] + ".Component", "main", message,
                "/logs/" + podName + ".log", i * 200);
    }

    private String words(int count) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < count; w++) {
            text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private static String trace(long i) {
        return "Task failed " + i + "\njava.lang.IllegalStateException: buffer pool destroyed\n"
                + "\tat org.apache.flink.runtime.io.network.buffer.LocalBufferPool.requestMemorySegment(LocalBufferPool.java:381)\n"
                + "\tat org.apache.flink.streaming.runtime.tasks.StreamTask.invoke(StreamTask.java:940)";
    }
}
