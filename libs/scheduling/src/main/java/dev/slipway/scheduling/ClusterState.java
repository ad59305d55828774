package dev.slipway.scheduling;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.decisions.ClusterHealth;
import dev.slipway.contracts.resources.PodRole;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

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
    private int warmTaskManagers;
    /** Kept as pods change for the same reason as the counts: every TaskManager decision carries it (placement). */
    private final TreeMap<String, Integer> readyTaskManagersPerNode = new TreeMap<>();
    /** Live pods not ready yet, by when they were decided: the first start deadline without a walk over every pod. */
    private final TreeSet<PodRecord> startingPods = new TreeSet<>(
            Comparator.comparing(PodRecord::decidedAt).thenComparing(PodRecord::name));
    /** Ready warm pods, by when they became idle: the first idle deadline without a walk over every pod. */
    private final TreeSet<PodRecord> idleWarmPods = new TreeSet<>(
            Comparator.comparing(PodRecord::idleSince).thenComparing(PodRecord::name));
    /**
     * Open requests by id, in arrival order. Changed only through {@link #openRequest}, {@link #refuse},
     * {@link #endRequest} and {@link #closeRequest}, which keep the two indexes below in step with them and the pods.
     */
    private final LinkedHashMap<String, RequestRecord> requests = new LinkedHashMap<>();
    private long nextRequestSequence;
    /**
     * Open requests with a slot no live pod serves, by arrival (sequence): the only ones serving requests walks. Decisions
     * follow arrival order, so the index keeps it (replays of histories recorded before it existed must not change).
     */
    private final TreeMap<Long, RequestRecord> unservedRequests = new TreeMap<>();
    /** Open requests with nothing left to serve and no live pod, by arrival: closed at the end of the next reconcile. */
    private final TreeMap<Long, RequestRecord> finishedRequests = new TreeMap<>();
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
        if (pod.status() != PodStatus.READY) {
            changeMembership(startingPods, pod, delta);
        }
        if (pod.warm() && pod.status() == PodStatus.READY && pod.idleSince() != null) {
            changeMembership(idleWarmPods, pod, delta);
        }
        if (pod.requestId() != null) {
            servingByRequest.merge(pod.requestId(), delta, (was, change) -> was + change == 0 ? null : was + change);
            RequestRecord request = requests.get(pod.requestId());
            if (request != null) {
                index(request);
            }
        }
        if (pod.taskManager()) {
            liveTaskManagers += delta;
            if (pod.requestId() == null) {
                warmTaskManagers += delta;
            }
            if (pod.status() == PodStatus.READY && pod.nodeName() != null) {
                readyTaskManagersPerNode.merge(pod.nodeName(), delta, (was, change) -> was + change == 0 ? null : was + change);
            }
        } else if (pod.role() == PodRole.JOB_MANAGER) {
            liveJobManagers += delta;
        }
    }

    private static void changeMembership(TreeSet<PodRecord> set, PodRecord pod, int delta) {
        if (delta > 0) {
            set.add(pod);
        } else {
            set.remove(pod);
        }
    }

    /** The open request with this id, if there is one. */
    public Optional<RequestRecord> openRequest(String requestId) {
        return Optional.ofNullable(requests.get(requestId));
    }

    public Collection<RequestRecord> openRequests() {
        return List.copyOf(requests.values());
    }

    boolean isOpen(String requestId) {
        return requests.containsKey(requestId);
    }

    /** Opens a request (after every request open now, in arrival order). */
    void openRequest(String requestId, int count, Instant requestedAt) {
        RequestRecord request = new RequestRecord(requestId, count, requestedAt, nextRequestSequence++);
        requests.put(requestId, request);
        index(request);
    }

    /** Open requests in arrival order, as a copy (the caller may close them as it goes). */
    List<RequestRecord> openRequestsInArrivalOrder() {
        return new ArrayList<>(requests.values());
    }

    /** Open requests with a slot no live pod serves, in arrival order, as a copy (serving them changes the index). */
    List<RequestRecord> unservedRequests() {
        return unservedRequests.isEmpty() ? List.of() : new ArrayList<>(unservedRequests.values());
    }

    /** Open requests with nothing left to serve and no live pod, in arrival order, as a copy. */
    List<RequestRecord> finishedRequests() {
        return finishedRequests.isEmpty() ? List.of() : new ArrayList<>(finishedRequests.values());
    }

    void refuse(String requestId, int slots) {
        RequestRecord request = requests.get(requestId);
        if (request != null) {
            request.refuse(slots);
            index(request);
        }
    }

    void endRequest(String requestId) {
        RequestRecord request = requests.get(requestId);
        if (request != null) {
            request.end();
            index(request);
        }
    }

    /** Closes the request: it is forgotten, and its id is remembered as closed (a late copy of it decides nothing). */
    void closeRequest(RequestRecord request) {
        requests.remove(request.requestId());
        unservedRequests.remove(request.sequence());
        finishedRequests.remove(request.sequence());
        closedRequests.add(request.requestId());
    }

    private void index(RequestRecord request) {
        int serving = servingByRequest.getOrDefault(request.requestId(), 0);
        if (request.unserved(serving) > 0) {
            unservedRequests.put(request.sequence(), request);
        } else {
            unservedRequests.remove(request.sequence());
        }
        if (request.unserved(0) == 0 && serving == 0) {
            finishedRequests.put(request.sequence(), request);
        } else {
            finishedRequests.remove(request.sequence());
        }
    }

    /** When (epoch millis) the first live pod not ready yet was decided; Long.MAX_VALUE if there is none. */
    long firstStartingDecidedAtMillis() {
        return startingPods.isEmpty() ? Long.MAX_VALUE : startingPods.first().decidedAt().toEpochMilli();
    }

    /** When (epoch millis) the longest idle ready warm pod became idle; Long.MAX_VALUE if there is none. */
    long firstIdleSinceMillis() {
        return idleWarmPods.isEmpty() ? Long.MAX_VALUE : idleWarmPods.first().idleSince().toEpochMilli();
    }

    /** Live TaskManagers (pending, created or ready; not terminating). */
    public int liveTaskManagers() {
        return liveTaskManagers;
    }

    public int warmTaskManagers() {
        return warmTaskManagers;
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

    /** Live ready TaskManagers per node, for spreading (a read-only view, kept as pods change). */
    SortedMap<String, Integer> readyTaskManagersPerNode() {
        return Collections.unmodifiableSortedMap(readyTaskManagersPerNode);
    }

    @Override
    public String toString() {
        return "ClusterState[" + clusterId + ", generation " + generation + (deleted ? ", deleted" : "") + ", "
                + pods.size() + " pods, " + requests.size() + " open requests, " + health + "]";
    }
}
