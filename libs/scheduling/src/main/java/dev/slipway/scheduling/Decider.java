package dev.slipway.scheduling;

import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.FailurePolicy;
import dev.slipway.contracts.decisions.ClusterHealth;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.resources.ClockTicked;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ClusterSpecChanged;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.resources.ResourcesReleased;
import dev.slipway.contracts.resources.ResourcesRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The scheduling decisions of one cluster as a pure function of its events: no clock (time is the
 * latest event time), no randomness, no I/O. {@link #handle} folds the event into the state and
 * reconciles the desired pods with the known ones; the same events always yield the same decisions
 * with the same ids, which is what makes replay and what-if possible.
 */
public final class Decider {

    private static final Comparator<PodRecord> BY_NAME = Comparator.comparing(PodRecord::name);
    private static final Comparator<PodRecord> NEWEST_FIRST =
            Comparator.comparing(PodRecord::decidedAt).thenComparing(PodRecord::name).reversed();
    /** Ready pods first (they serve at once), then the oldest. */
    private static final Comparator<PodRecord> BEST_WARM_FIRST =
            Comparator.comparing((PodRecord pod) -> pod.status() != PodStatus.READY)
                    .thenComparing(PodRecord::decidedAt).thenComparing(PodRecord::name);

    private Decider() {
    }

    public static List<Decision> handle(ClusterState state, ResourceEvent event) {
        return handle(state, event, Policy.RECORDED);
    }

    /**
     * Folds one event into {@code state} and returns the decisions it causes (already folded in too).
     * A redelivered event or a stale one (older generation, a known request id, a pod already gone)
     * changes nothing and decides nothing.
     */
    public static List<Decision> handle(ClusterState state, ResourceEvent event, Policy policy) {
        if (!state.clusterId().equals(event.clusterId())) {
            throw new IllegalArgumentException("event " + event.eventId() + " of cluster " + event.clusterId()
                    + " given to the state of " + state.clusterId());
        }
        // No event-id bookkeeping: every event is idempotent by its meaning (request ids, generations, pod
        // states, gone pods), so a redelivery at any distance decides nothing (SchedulingPropertiesTest).
        state.advanceTo(event.occurredAt());
        if (event instanceof ClockTicked && state.nowMillis < state.nextDeadlineMillis) {
            // Between events the state is reconciled; only a deadline falling due can change a decision.
            return List.of();
        }
        Outcome out = new Outcome(state, event);
        boolean changed;
        if (event instanceof ClusterSpecCreated created) {
            changed = specChanged(state, created.generation(), created.spec(), policy);
        } else if (event instanceof ClusterSpecChanged changedSpec) {
            changed = specChanged(state, changedSpec.generation(), changedSpec.spec(), policy);
        } else if (event instanceof ClusterDeleted deleted) {
            changed = clusterDeleted(state, deleted, out);
        } else if (event instanceof ResourcesRequested requested) {
            changed = requested(state, requested, out);
        } else if (event instanceof ResourcesReleased released) {
            changed = released(state, released, out);
        } else if (event instanceof PodCreated created) {
            changed = podCreated(state, created, out);
        } else if (event instanceof PodReady ready) {
            changed = podReady(state, ready, out);
        } else if (event instanceof PodFailed failed) {
            changed = podFailed(state, failed, out);
        } else if (event instanceof PodDeleted deleted) {
            changed = podDeleted(state, deleted, out);
        } else if (event instanceof ClockTicked) {
            changed = true; // a deadline fell due (see above)
        } else {
            throw new IllegalArgumentException("unknown resource event " + event.getClass().getName());
        }
        if (changed) {
            reconcile(state, out);
        }
        return out.decisions();
    }

    // ---- folding facts -------------------------------------------------------------------------

    private static boolean specChanged(ClusterState state, long generation, ClusterSpec spec, Policy policy) {
        if (state.deleted || generation <= state.generation) {
            return false;
        }
        state.spec = policy.apply(spec);
        state.generation = generation;
        // Timeouts may have shortened: check every deadline at once.
        state.nextDeadlineMillis = Long.MIN_VALUE;
        state.nextStartDeadlineMillis = Long.MIN_VALUE;
        return true;
    }

    private static boolean clusterDeleted(ClusterState state, ClusterDeleted deleted, Outcome out) {
        if (state.deleted) {
            return false;
        }
        state.deleted = true;
        Map<String, Integer> serving = state.servingByRequest();
        for (RequestRecord request : state.openRequestsInArrivalOrder()) {
            int open = request.unserved(serving.getOrDefault(request.requestId(), 0));
            if (open > 0) {
                out.refuse(request.requestId(), request.count(), open,
                        "cluster " + state.clusterId() + " was deleted; request " + request.requestId() + " cannot be served");
            }
            state.closeRequest(request);
        }
        for (PodRecord pod : livePods(state)) {
            out.delete(pod, "cluster " + state.clusterId() + " was deleted; removing " + pod.name());
        }
        return false;
    }

    private static boolean requested(ClusterState state, ResourcesRequested requested, Outcome out) {
        String id = requested.requestId();
        if (state.isOpen(id) || state.closedRequests.contains(id)) {
            return false;
        }
        if (state.spec == null || state.deleted) {
            state.closedRequests.add(id);
            out.refuse(id, requested.count(), requested.count(), "cluster " + state.clusterId()
                    + (state.deleted ? " was deleted" : " has no spec yet") + "; refusing request " + id);
            return false;
        }
        if (!state.elastic()) {
            state.closedRequests.add(id);
            out.refuse(id, requested.count(), requested.count(), "cluster " + state.clusterId() + " is STATIC with "
                    + state.spec.staticTaskManagers() + " fixed TaskManagers; refusing request " + id
                    + " (change the spec's count, or use ELASTIC mode)");
            return false;
        }
        state.openRequest(id, requested.count(), state.now);
        return true;
    }

    private static boolean released(ClusterState state, ResourcesReleased released, Outcome out) {
        PodRecord pod = state.pod(released.podName());
        if (pod == null || !pod.live() || state.deleted || !pod.taskManager()) {
            return false;
        }
        // Flink's word is final: a TaskManager it let go cannot register with it again, so it is deleted,
        // warm or not (the pool is a floor of live TaskManagers, refilled only when below it).
        String why = released.reason() == null ? "" : " (" + released.reason() + ")";
        endRequestOf(state, pod);
        out.delete(pod, "Flink released " + pod.name() + why
                + (pod.requestId() == null ? "" : "; it served request " + pod.requestId()));
        return true;
    }

    private static boolean podCreated(ClusterState state, PodCreated created, Outcome out) {
        PodRecord pod = knownOrAdopted(state, created.podName(), created.role(), created.requestId(), out);
        if (pod == null) {
            return false;
        }
        state.putPod(pod.created(created.nodeName()));
        return true;
    }

    private static boolean podReady(ClusterState state, PodReady ready, Outcome out) {
        PodRecord pod = knownOrAdopted(state, ready.podName(), ready.role(), null, out);
        if (pod == null || !pod.live() || pod.status() == PodStatus.READY) {
            return false;
        }
        PodRecord readyPod = pod.ready(state.now, ready.nodeName());
        if (readyPod.warm()) {
            readyPod = new PodRecord(readyPod.name(), readyPod.role(), null, PodStatus.READY, readyPod.decidedAt(),
                    state.now, readyPod.nodeName(), state.now);
        }
        state.putPod(readyPod);
        state.consecutiveFailures = 0;
        state.backoffUntil = null;
        if (state.health == ClusterHealth.DEGRADED) {
            out.health(ClusterHealth.HEALTHY, pod.name() + " became ready; the crash loop is over, back-off lifted");
        }
        return true;
    }

    private static boolean podFailed(ClusterState state, PodFailed failed, Outcome out) {
        PodRecord pod = state.pod(failed.podName());
        if (pod == null || !pod.live()) {
            return false;
        }
        String what = pod.name() + " failed (" + failed.reason()
                + (failed.exitCode() == null ? "" : ", exit " + failed.exitCode()) + ")";
        endRequestOf(state, pod);
        out.delete(pod, what + "; removing the failed pod");
        if (!state.deleted) {
            recordFailure(state, what, out);
            taskManagersOfALostJobManager(state, pod, out);
        }
        return true;
    }

    private static boolean podDeleted(ClusterState state, PodDeleted deleted, Outcome out) {
        PodRecord pod = state.removePod(deleted.podName());
        state.gonePods.add(deleted.podName());
        if (pod == null) {
            return false;
        }
        if (pod.live() && !state.deleted) {
            // Nobody here decided this: an eviction, a node loss, a kubectl delete.
            endRequestOf(state, pod);
            recordFailure(state, pod.name() + " was deleted outside Slipway", out);
            taskManagersOfALostJobManager(state, pod, out);
        }
        return true;
    }

    /**
     * Without high availability a TaskManager knows its JobManager by address alone, and a new JobManager knows none of the
     * old one's jobs: once the last JobManager is gone, its TaskManagers can serve nobody (Flink would wait for them to
     * register, and they never would). They go, and the next JobManager gets TaskManagers of its own (its warm pool, its
     * requests, the STATIC count). With high availability they find the new leader themselves and stay.
     */
    private static void taskManagersOfALostJobManager(ClusterState state, PodRecord lost, Outcome out) {
        if (lost.role() != PodRole.JOB_MANAGER || state.spec == null || state.spec.highAvailability() || state.liveJobManagers() > 0) {
            return;
        }
        for (PodRecord taskManager : pods(state, pod -> pod.taskManager() && pod.live(), BY_NAME)) {
            endRequestOf(state, taskManager);
            out.delete(taskManager, lost.name() + " is gone and cluster " + state.clusterId() + " runs without high availability: "
                    + taskManager.name() + " knew only that JobManager; removing it");
        }
    }

    /** The pod as known, or adopted if it is new to us; null for a pod that is gone or cannot be adopted. */
    private static PodRecord knownOrAdopted(ClusterState state, String name, PodRole role, String requestId, Outcome out) {
        if (state.gonePods.contains(name)) {
            return null;
        }
        PodRecord pod = state.pod(name);
        return pod != null ? pod : adopt(state, name, role, requestId, out);
    }

    private static PodRecord adopt(ClusterState state, String name, PodRole role, String requestId, Outcome out) {
        if (role == null) {
            return null;
        }
        String serves = requestId != null && state.isOpen(requestId) ? requestId : null;
        PodRecord pod = new PodRecord(name, role, serves, PodStatus.CREATED, state.now, null, null, null);
        keepOrdinalsAbove(state, name, role);
        state.putPod(pod);
        if (state.deleted || state.spec == null) {
            out.delete(pod, "found " + name + " of cluster " + state.clusterId() + ", which "
                    + (state.deleted ? "was deleted" : "has no spec") + "; removing it");
            return null;
        }
        return pod;
    }

    /** Pod names are never reused: an adopted pod moves the counter past its ordinal. */
    private static void keepOrdinalsAbove(ClusterState state, String name, PodRole role) {
        String prefix = state.clusterId() + (role == PodRole.JOB_MANAGER ? "-jm-" : "-tm-");
        if (!name.startsWith(prefix)) {
            return;
        }
        try {
            int ordinal = Integer.parseInt(name.substring(prefix.length()));
            if (role == PodRole.JOB_MANAGER) {
                state.nextJobManagerOrdinal = Math.max(state.nextJobManagerOrdinal, ordinal + 1);
            } else {
                state.nextTaskManagerOrdinal = Math.max(state.nextTaskManagerOrdinal, ordinal + 1);
            }
        } catch (NumberFormatException e) {
            // Not one of our names; it cannot clash with ours.
        }
    }

    /**
     * A request ends with the pod that served it, ready or not: Flink's resource manager asks again at
     * once for a worker it still needs, so replacing the pod here as well would start two.
     */
    private static void endRequestOf(ClusterState state, PodRecord pod) {
        if (pod.requestId() != null) {
            state.endRequest(pod.requestId());
        }
    }

    private static void recordFailure(ClusterState state, String what, Outcome out) {
        state.consecutiveFailures++;
        state.lastFailure = what;
        FailurePolicy failures = state.spec == null ? FailurePolicy.DEFAULT : state.spec.failures();
        int beyond = state.consecutiveFailures - failures.crashLoopThreshold();
        if (beyond < 0) {
            return;
        }
        long delay = Math.min(failures.maxBackoffSeconds(), failures.initialBackoffSeconds() << Math.min(beyond, 20));
        state.backoffUntil = state.now.plusSeconds(delay);
        if (state.health == ClusterHealth.HEALTHY) {
            out.health(ClusterHealth.DEGRADED, state.consecutiveFailures + " pod failures in a row (last: " + what
                    + "); new pods wait " + delay + " s, until " + state.backoffUntil);
        }
    }

    // ---- reconciling desired and known pods ----------------------------------------------------

    private static void reconcile(ClusterState state, Outcome out) {
        if (state.spec == null || state.deleted) {
            return;
        }
        startTimeouts(state, out);
        jobManagers(state, out);
        if (state.elastic()) {
            serveRequests(state, out);
            fillWarmPool(state, out);
            trimToLimit(state, out);
            releaseIdleWarmPods(state, out);
        } else {
            keepStaticCount(state, out);
        }
        closeFinishedRequests(state);
        recordDeadlines(state);
    }

    /**
     * Records when (epoch millis, rounded down, so never late) waiting alone next changes a decision:
     * the first start timeout, the first idle timeout of a surplus warm pod, the end of a back-off;
     * Long.MAX_VALUE when nothing waits. Idle timeouts count only while the pool has a surplus:
     * otherwise an idle pod stays, however long it idles.
     */
    private static void recordDeadlines(ClusterState state) {
        long firstStarting = state.firstStartingDecidedAtMillis();
        long start = firstStarting == Long.MAX_VALUE ? Long.MAX_VALUE
                : firstStarting + state.spec.failures().startTimeoutSeconds() * 1000;
        long firstIdle = state.elastic() && surplusWarm(state) > 0 ? state.firstIdleSinceMillis() : Long.MAX_VALUE;
        long idle = firstIdle == Long.MAX_VALUE ? Long.MAX_VALUE : firstIdle + state.spec.elastic().idleTimeoutSeconds() * 1000;
        long backoff = state.backingOff() ? state.backoffUntil.toEpochMilli() : Long.MAX_VALUE;
        state.nextStartDeadlineMillis = start;
        state.nextDeadlineMillis = Math.min(start, Math.min(idle, backoff));
    }

    private static void startTimeouts(ClusterState state, Outcome out) {
        long timeout = state.spec.failures().startTimeoutSeconds();
        if (state.nowMillis < state.nextStartDeadlineMillis) {
            return; // no pod can be late before the first start deadline
        }
        Instant deadline = state.now.minusSeconds(timeout);
        List<PodRecord> late = pods(state,
                pod -> pod.live() && pod.status() != PodStatus.READY && !pod.decidedAt().isAfter(deadline), BY_NAME);
        for (PodRecord pod : late) {
            String what = pod.name() + " not ready " + timeout + " s after it was requested (start timeout)";
            endRequestOf(state, pod);
            out.delete(pod, what + "; removing it");
            recordFailure(state, what, out);
        }
    }

    private static void jobManagers(ClusterState state, Outcome out) {
        int wanted = state.spec.jobManagerReplicas();
        int live = state.liveJobManagers();
        if (live < wanted && !state.backingOff()) {
            for (int i = live; i < wanted; i++) {
                out.provision(PodRole.JOB_MANAGER, null, "JobManagers: " + live + " of " + wanted + " live; provisioning "
                        + (wanted - live));
            }
        } else if (live > wanted) {
            List<PodRecord> surplus = pods(state, pod -> pod.role() == PodRole.JOB_MANAGER && pod.live(), NEWEST_FIRST);
            for (PodRecord pod : surplus.subList(0, live - wanted)) {
                out.delete(pod, "JobManagers: " + live + " live, " + wanted + " wanted; removing " + pod.name());
            }
        }
    }

    /**
     * Every request gets new pods. A warm pod is Flink's from the moment it exists (it is reported to
     * Flink as a recovered worker and its slots are offered), so handing it to a request would count it twice.
     */
    private static void serveRequests(ClusterState state, Outcome out) {
        int limit = state.spec.taskManagerLimit();
        // Provisioning for one request changes no other request's count, so one count up front serves the loop.
        Map<String, Integer> serving = state.servingByRequest();
        for (RequestRecord request : state.unservedRequests()) {
            int needed = request.unserved(serving.getOrDefault(request.requestId(), 0)); // above 0: the index holds only those
            int live = state.liveTaskManagers();
            int capacity = Math.max(0, limit - live);
            int refused = Math.max(0, needed - capacity);
            int toProvision = needed - refused;
            String head = "request " + request.requestId() + " needs " + needed + " TaskManager" + (needed == 1 ? "" : "s");
            if (refused > 0) {
                out.refuse(request.requestId(), request.count(), refused, head + "; " + limitText(state.spec) + " and "
                        + live + " are live; refusing " + refused);
            }
            if (toProvision > 0 && !state.backingOff()) {
                for (int i = 0; i < toProvision; i++) {
                    out.provision(PodRole.TASK_MANAGER, request.requestId(), head + "; provisioning " + toProvision);
                }
            }
        }
    }

    /** The warm pool is a floor: at least K live TaskManagers exist before and between jobs. */
    private static void fillWarmPool(ClusterState state, Outcome out) {
        int pool = state.spec.elastic().warmPool();
        int live = state.liveTaskManagers();
        int capacity = Math.max(0, state.spec.taskManagerLimit() - live);
        int missing = Math.min(pool - live, capacity);
        if (missing > 0 && !state.backingOff()) {
            for (int i = 0; i < missing; i++) {
                out.provision(PodRole.TASK_MANAGER, null, "warm pool of " + pool + " has " + live + " live; provisioning "
                        + missing + (missing < pool - live ? " (" + limitText(state.spec) + ")" : ""));
            }
        }
    }

    private static void trimToLimit(ClusterState state, Outcome out) {
        int limit = state.spec.taskManagerLimit();
        int live = state.liveTaskManagers();
        if (live <= limit) {
            return;
        }
        List<PodRecord> warm = pods(state, PodRecord::warm, BEST_WARM_FIRST.reversed());
        for (PodRecord pod : warm.subList(0, Math.min(warm.size(), live - limit))) {
            out.delete(pod, live + " TaskManagers live but " + limitText(state.spec) + "; removing warm " + pod.name());
        }
    }

    private static void releaseIdleWarmPods(ClusterState state, Outcome out) {
        int pool = state.spec.elastic().warmPool();
        int surplus = surplusWarm(state);
        if (surplus <= 0) {
            return;
        }
        long idleTimeout = state.spec.elastic().idleTimeoutSeconds();
        Instant idleBefore = state.now.minusSeconds(idleTimeout);
        List<PodRecord> idle = pods(state,
                pod -> pod.warm() && pod.status() == PodStatus.READY && pod.idleSince() != null
                        && !pod.idleSince().isAfter(idleBefore),
                Comparator.comparing(PodRecord::idleSince).thenComparing(PodRecord::name));
        for (PodRecord pod : idle.subList(0, Math.min(surplus, idle.size()))) {
            long idleSeconds = Duration.between(pod.idleSince(), state.now).toSeconds();
            out.delete(pod, "warm " + pod.name() + " idle for " + idleSeconds + " s (idle timeout " + idleTimeout
                    + " s) and the warm pool of " + pool + " is full without it");
        }
    }

    /**
     * Warm pods beyond the pool, which only a smaller pool (a spec change) leaves behind: the floor
     * refills only to K live TaskManagers. Counting live request pods here would delete warm pods
     * Flink runs tasks on; how long Flink's TaskManagers idle is Flink's to judge, and it releases them.
     */
    private static int surplusWarm(ClusterState state) {
        return state.warmTaskManagers() - state.spec.elastic().warmPool();
    }

    private static void keepStaticCount(ClusterState state, Outcome out) {
        int wanted = state.spec.taskManagerLimit();
        int live = state.liveTaskManagers();
        String head = "STATIC cluster keeps " + wanted + " TaskManager" + (wanted == 1 ? "" : "s") + "; " + live + " live";
        if (live < wanted && !state.backingOff()) {
            for (int i = live; i < wanted; i++) {
                out.provision(PodRole.TASK_MANAGER, null, head + "; provisioning " + (wanted - live));
            }
        } else if (live > wanted) {
            List<PodRecord> surplus = pods(state, pod -> pod.taskManager() && pod.live(), NEWEST_FIRST);
            for (PodRecord pod : surplus.subList(0, live - wanted)) {
                out.delete(pod, head + "; removing " + pod.name());
            }
        }
    }

    private static void closeFinishedRequests(ClusterState state) {
        for (RequestRecord request : state.finishedRequests()) {
            state.closeRequest(request);
        }
    }

    private static String limitText(ClusterSpec spec) {
        int limit = spec.taskManagerLimit();
        boolean quota = spec.tenantQuotaTaskManagers() > 0 && spec.tenantQuotaTaskManagers() == limit;
        return quota ? "the tenant quota allows " + limit + " TaskManagers" : "the cluster maximum is " + limit;
    }

    private static List<PodRecord> livePods(ClusterState state) {
        return pods(state, PodRecord::live, BY_NAME);
    }

    private static List<PodRecord> pods(ClusterState state, Predicate<PodRecord> filter,
            Comparator<PodRecord> order) {
        List<PodRecord> selected = null;
        for (PodRecord pod : state.podsByName()) {
            if (filter.test(pod)) {
                if (selected == null) {
                    selected = new ArrayList<>();
                }
                selected.add(pod);
            }
        }
        if (selected == null) {
            return List.of();
        }
        selected.sort(order);
        return selected;
    }
}
