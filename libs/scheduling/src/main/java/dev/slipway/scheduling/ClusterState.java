package dev.slipway.scheduling;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.decisions.ClusterHealth;
import dev.slipway.contracts.resources.PodRole;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the scheduler knows of one cluster, folded from its resource events and its own decisions.
 * Mutable for speed (a million events a second), but owned by exactly one {@link Decider} call at a
 * time and changed only by it; {@link #copy()} gives an independent state for what-if and snapshots.
 * Iteration orders are fixed (pods by name, requests by arrival) so decisions are deterministic.
 */
public final class ClusterState {

    static final int REMEMBERED_IDS = 512;

    private final String clusterId;
    ClusterSpec spec;
    long generation = -1;
    boolean deleted;
    /** The latest event time seen; time never moves backwards. */
    Instant now = Instant.EPOCH;
    /** {@link #now} in epoch millis, kept beside it because the hot path compares it with deadlines. */
    long nowMillis;
    /** Changed only through {@link #putPod} and {@link #removePod}, which keep the counts below in step with it. */
    private final TreeMap<String, PodRecord> pods = new TreeMap<>();
    /**
     * Live pods per request id, live TaskManagers and live JobManagers, kept as pods change: counted from the pods, they
     * cost a walk over every pod on every request and release (a tenth of the scheduler's CPU at 5,000 requests/s), and
     * serving requests counted live TaskManagers once per open request.
     */
    private final Map<String, Integer> servingByRequest = new HashMap<>();
    private int liveTaskManagers;
    private int liveJobManagers;
    final LinkedHashMap<String, RequestRecord> requests = new LinkedHashMap<>();
    BoundedIdSet gonePods = new BoundedIdSet(REMEMBERED_IDS);
    BoundedIdSet closedRequests = new BoundedIdSet(REMEMBERED_IDS);
    int nextTaskManagerOrdinal;
    int nextJobManagerOrdinal;
    int consecutiveFailures;
    Instant backoffUntil;
    String lastFailure;
    /** When (epoch millis) waiting alone next changes a decision; ticks before it decide nothing. Recomputed on every reconcile. */
    long nextDeadlineMillis = Long.MAX_VALUE;
    /** The first start timeout (epoch millis) of a pod not ready yet. */
    long nextStartDeadlineMillis = Long.MAX_VALUE;
    ClusterHealth health = ClusterHealth.HEALTHY;

    public ClusterState(String clusterId) {
        this.clusterId = clusterId;
    }

    /** An independent state that decides exactly as this one (through its snapshot: one place copies every field). */
    public ClusterState copy() {
        return ClusterSnapshot.of(this).restore();
    }

    void advanceTo(Instant at) {
        long millis = at.toEpochMilli();
        if (millis > nowMillis || (millis == nowMillis && at.isAfter(now))) {
            now = at;
            nowMillis = millis;
        }
    }

    public String clusterId() {
        return clusterId;
    }

    /** The effective spec (after any what-if policy); null before the cluster is created. */
    public ClusterSpec spec() {
        return spec;
    }

    public boolean deleted() {
        return deleted;
    }

    public Instant now() {
        return now;
    }

    public ClusterHealth health() {
        return health;
    }

    public String lastFailure() {
        return lastFailure;
    }

    public Instant backoffUntil() {
        return backoffUntil;
    }

    /** Whether waiting alone can still change a decision (a timeout or a back-off is pending): only then do ticks matter. */
    public boolean waitingForTime() {
        return !deleted && spec != null && nextDeadlineMillis != Long.MAX_VALUE;
    }

    /** When (epoch millis) waiting alone next changes a decision: a tick before it decides nothing. Long.MAX_VALUE when nothing waits. */
    public long nextDeadlineMillis() {
        return waitingForTime() ? nextDeadlineMillis : Long.MAX_VALUE;
    }

    public boolean backingOff() {
        return backoffUntil != null && now.isBefore(backoffUntil);
    }

    public Collection<PodRecord> pods() {
        return List.copyOf(pods.values());
    }

    public PodRecord pod(String name) {
        return pods.get(name);
    }

    /** Every pod, by name, as a read-only view (the decider's loops; changes go through putPod and removePod). */
    Collection<PodRecord> podsByName() {
        return Collections.unmodifiableCollection(pods.values());
    }

    /** Puts the pod in place of any of its name, and the counts with it. */
    void putPod(PodRecord pod) {
        uncount(pods.put(pod.name(), pod));
        count(pod, 1);
    }

    /** Removes the pod of this name, if any, and answers it. */
    PodRecord removePod(String name) {
        PodRecord removed = pods.remove(name);
        uncount(removed);
        return removed;
    }

    private void uncount(PodRecord pod) {
        if (pod != null) {
            count(pod, -1);
        }
    }

    private void count(PodRecord pod, int delta) {
        if (!pod.live()) {
            return;
        }
        if (pod.requestId() != null) {
            servingByRequest.merge(pod.requestId(), delta, (was, change) -> was + change == 0 ? null : was + change);
        }
        if (pod.taskManager()) {
            liveTaskManagers += delta;
        } else if (pod.role() == PodRole.JOB_MANAGER) {
            liveJobManagers += delta;
        }
    }

    /** The open request with this id, if there is one. */
    public Optional<RequestRecord> openRequest(String requestId) {
        return Optional.ofNullable(requests.get(requestId));
    }

    public Collection<RequestRecord> openRequests() {
        return List.copyOf(requests.values());
    }

    /** Live TaskManagers (pending, created or ready; not terminating). */
    public int liveTaskManagers() {
        return liveTaskManagers;
    }

    public int warmTaskManagers() {
        int warm = 0;
        for (PodRecord pod : pods.values()) {
            if (pod.warm()) {
                warm++;
            }
        }
        return warm;
    }

    int liveJobManagers() {
        return liveJobManagers;
    }

    /** Live pods per request id (a read-only view, kept as pods change). */
    Map<String, Integer> servingByRequest() {
        return Collections.unmodifiableMap(servingByRequest);
    }

    boolean elastic() {
        return spec != null && spec.mode() == ClusterMode.ELASTIC;
    }

    /** Ready TaskManagers per node, for spreading. */
    Map<String, Integer> readyTaskManagersPerNode() {
        return pods.values().stream()
                .filter(pod -> pod.taskManager() && pod.status() == PodStatus.READY && pod.nodeName() != null)
                .collect(Collectors.toMap(PodRecord::nodeName, pod -> 1, Integer::sum, TreeMap::new));
    }

    @Override
    public String toString() {
        return "ClusterState[" + clusterId + ", generation " + generation + (deleted ? ", deleted" : "") + ", "
                + pods.size() + " pods, " + requests.size() + " open requests, " + health + "]";
    }
}
