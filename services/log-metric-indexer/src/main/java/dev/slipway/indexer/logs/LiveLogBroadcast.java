package dev.slipway.indexer.logs;

import dev.slipway.contracts.telemetry.LogRecord;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Live tail: every record as it is indexed, to whoever follows. Outlives restarts of the ingest side,
 * so a follower is not cut off when the indexes are reopened.
 */
@ApplicationScoped
public class LiveLogBroadcast {

    /** How many records a slow follower may fall behind before its stream fails. */
    private static final int FOLLOWER_BUFFER = 10_000;

    private final BroadcastProcessor<LogRecord> records = BroadcastProcessor.create();

    /** Called by the single ingest thread only (the processor needs serial calls). */
    public void publish(LogRecord record) {
        records.onNext(record);
    }

    /** Records of one cluster, job or pod (null means any), at {@code minimumLevel} or above (null means all). */
    public Multi<LogRecord> follow(String clusterId, String jobId, String pod, String minimumLevel) {
        return records.filter(record -> matches(record, clusterId, jobId, pod, minimumLevel)).onOverflow().buffer(FOLLOWER_BUFFER);
    }

    static boolean matches(LogRecord record, String clusterId, String jobId, String pod, String minimumLevel) {
        return (clusterId == null || clusterId.equals(record.clusterId()))
                && (jobId == null || jobId.equals(record.jobId()))
                && (pod == null || pod.equals(record.podName()))
                && (minimumLevel == null || Levels.atLeast(record.level(), minimumLevel));
    }
}
