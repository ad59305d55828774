package dev.slipway.scheduling;

import java.time.Instant;

/**
 * An open request of Flink's resource manager. Its {@code count} slots are each either served by a
 * pod (counted from the pods), refused, or ended (the pod that served it went away, ready or not:
 * Flink requests anew in that case, so the slot is not refilled).
 */
public final class RequestRecord {

    private final String requestId;
    private final int count;
    private final Instant requestedAt;
    /** Its place in the cluster's arrival order (the state's indexes are sorted by it). */
    private final long sequence;
    private int refused;
    private int ended;

    RequestRecord(String requestId, int count, Instant requestedAt, long sequence) {
        this.requestId = requestId;
        this.count = count;
        this.requestedAt = requestedAt;
        this.sequence = sequence;
    }

    public String requestId() {
        return requestId;
    }

    public int count() {
        return count;
    }

    public Instant requestedAt() {
        return requestedAt;
    }

    long sequence() {
        return sequence;
    }

    public int refused() {
        return refused;
    }

    public int ended() {
        return ended;
    }

    /** Only through {@link ClusterState#refuse}, which keeps its indexes in step. */
    void refuse(int n) {
        refused += n;
    }

    /** Only through {@link ClusterState#endRequest}, which keeps its indexes in step. */
    void end() {
        ended++;
    }

    /** Slots that still need a pod, given how many live pods serve the request now. */
    int unserved(int serving) {
        return Math.max(0, count - refused - ended - serving);
    }
}
