package dev.slipway.submission.job;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Flink configuration a run is submitted with: the version's own, plus where to keep checkpoints and that Flink
 * retains them when the run is cancelled or fails, so a restart can start from the latest one. A version that sets a
 * checkpoint directory or retention itself keeps its own (the latest checkpoint is read from Flink either way).
 */
public final class RunConfiguration {

    public static final String CHECKPOINT_DIR = "execution.checkpointing.dir";
    /** Read by Flink when {@link #CHECKPOINT_DIR} is absent: a version that sets it keeps it. */
    static final String LEGACY_CHECKPOINT_DIR = "state.checkpoints.dir";
    public static final String RETENTION = "execution.checkpointing.externalized-checkpoint-retention";
    public static final String RETAIN_ON_CANCELLATION = "RETAIN_ON_CANCELLATION";

    private RunConfiguration() {
    }

    public static Map<String, String> of(Map<String, String> version, String checkpointDirectory) {
        Map<String, String> run = new LinkedHashMap<>(version);
        if (!version.containsKey(CHECKPOINT_DIR) && !version.containsKey(LEGACY_CHECKPOINT_DIR)) {
            run.put(CHECKPOINT_DIR, checkpointDirectory);
        }
        run.putIfAbsent(RETENTION, RETAIN_ON_CANCELLATION);
        return run;
    }
}
