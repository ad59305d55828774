package dev.slipway.submission.job;

import dev.slipway.contracts.Events;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Ids the platform chooses for Flink, so that a step repeated after a crash is the same step: the Flink
 * job id of a run (Flink refuses a second submission with an id it knows) and the trigger id of a
 * savepoint or stop (Flink answers a repeated trigger with the operation it already has).
 */
public final class JobIds {

    private JobIds() {
    }

    /** 32 lower-case hex digits, as Flink writes a JobID. */
    public static String flinkJobId(String jobId, int run) {
        return hex("slipway-job:" + jobId + "/run/" + run);
    }

    /** 32 lower-case hex digits, as Flink writes a TriggerId. */
    public static String triggerId(String jobId, long opSeq) {
        return hex("slipway-job:" + jobId + "/operation/" + opSeq);
    }

    public static String eventId(String jobId, String type, long revision) {
        return Events.deterministicId(jobId, type, Long.toString(revision));
    }

    private static String hex(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }
}
