package dev.slipway.scheduling.replay;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.decisions.RequestRefused;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.resources.ResourcesReleased;
import dev.slipway.contracts.resources.ResourcesRequested;
import dev.slipway.scheduling.ClusterState;
import dev.slipway.scheduling.PodRecord;
import dev.slipway.scheduling.PodStatus;
import dev.slipway.scheduling.Policy;
import dev.slipway.scheduling.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Runs the scheduler against a simulated provisioner and a simulated Flink, so a policy can be tried
 * on demand that was recorded under another one: the pods differ, so their facts must be made up, by
 * a {@link ProvisionerModel}, and so do Flink's requests, which depend on the pods Flink has.
 *
 * <p>The inputs are the "external" events (specs, ticks, deletions) plus the demand of Flink's jobs:
 * a {@link ResourcesRequested} is a job arriving that needs {@code count} TaskManagers, and releases
 * and failures addressed to it ({@code request:<id>} as pod name) end or kill one of the TaskManagers
 * the job holds under the policy being tried. The simulated Flink behaves as Flink's resource manager
 * does: it uses the slots of free warm TaskManagers first (they are its own from the moment they
 * exist) and asks for the rest; when a TaskManager it holds fails or is deleted while the job still
 * needs it, it asks again under a new request id ({@code <id>#2}, {@code <id>#3}...).
 */
public final class Simulator {

    /** Pod name prefix of a release or failure addressed to a request's pod. */
    public static final String REQUEST_POD = "request:";
    /**
     * Separates a job's request id from the number of a request the simulated Flink repeats, as in
     * {@code r-7#2}: Flink's resource manager cannot send a '#' (request ids are letters, digits and
     * {@code ._:-}), so a repeat never clashes with a recorded id.
     */
    public static final char REPEAT = '#';

    /** The full trace as a live system would have recorded it, the decisions, and their cost. */
    public record Result(List<ResourceEvent> trace, List<Decision> decisions, ReplayReport report) {
    }

    private record Pending(Instant at, long sequence, ResourceEvent event) {
    }

    /** One job of the simulated Flink: what it still needs, what it holds and what it waits for. */
    private static final class Job {
        final String clusterId;
        final String id;
        /** TaskManagers the job still needs: its count, less the ones released or refused. */
        int demand;
        /** Live TaskManagers it holds, taken from the warm pool or provisioned for its requests. */
        int held;
        /** TaskManagers asked for and neither provisioned nor refused yet. */
        int awaiting;
        int requests;

        Job(String clusterId, String id, int demand) {
            this.clusterId = clusterId;
            this.id = id;
            this.demand = demand;
        }
    }

    /** Warm first by readiness (a ready one serves at once), then the oldest, as Flink offers registered slots first. */
    private static final Comparator<PodRecord> BEST_WARM_FIRST =
            Comparator.comparing((PodRecord pod) -> pod.status() != PodStatus.READY)
                    .thenComparing(PodRecord::decidedAt).thenComparing(PodRecord::name);

    private final Scheduler scheduler;
    private final ProvisionerModel model;
    private final ReportCollector report = new ReportCollector();
    private final PriorityQueue<Pending> facts =
            new PriorityQueue<>(Comparator.comparing(Pending::at).thenComparingLong(Pending::sequence));
    private final List<ResourceEvent> trace = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    /** Jobs by cluster and job id, and by cluster and the id of each request they made. */
    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, Job> jobsByRequest = new HashMap<>();
    /** The job holding each pod (by cluster and pod name). */
    private final Map<String, Job> holders = new HashMap<>();
    /** Warm pods taken before they were ready, and when they were taken. */
    private final Map<String, Instant> takenWarm = new HashMap<>();
    private long sequence;
    private long ids;

    private Simulator(Policy policy, ProvisionerModel model) {
        this.scheduler = new Scheduler(policy);
        this.model = model;
    }

    public static Result run(List<ResourceEvent> external, ProvisionerModel model, Policy policy) {
        Simulator simulator = new Simulator(policy, model);
        for (ResourceEvent event : external) {
            simulator.drainUntil(event.occurredAt());
            simulator.external(event);
        }
        simulator.drainUntil(Instant.MAX);
        return new Result(simulator.trace, simulator.decisions, simulator.report.report());
    }

    /**
     * Turns a recorded trace into simulation input: pod facts are dropped (the simulation makes its
     * own), requests become demand, and releases of pods that served a request, and failures of those
     * that were ready, are addressed to that request (a pod failing to start is the provisioner's
     * doing, which the model decides). The simulated Flink's repeated requests ({@code <id>#<n>}) fold
     * back into their job, which the simulation repeats by itself. Releases and failures of other pods
     * (warm, static, JobManager) have no counterpart and are dropped, and so is the demand Flink met
     * from the warm pool: Flink takes warm TaskManagers without asking, so a trace does not show it.
     * Events already addressed to a request (simulation input) are kept as they are.
     */
    public static List<ResourceEvent> externalize(List<ResourceEvent> recorded) {
        // Which request a pod served is known from the decisions, and the decisions are a deterministic
        // function of the trace: replaying it recovers them.
        Scheduler replay = new Scheduler(Policy.RECORDED);
        List<ResourceEvent> external = new ArrayList<>();
        for (ResourceEvent event : recorded) {
            if (addressedToARequest(event)) {
                external.add(event);
            } else if (event instanceof ResourcesReleased released) {
                servedJob(replay, released.clusterId(), released.podName(), false).ifPresent(job ->
                        external.add(new ResourcesReleased(released.eventId(), released.clusterId(), released.occurredAt(),
                                REQUEST_POD + job, released.reason())));
            } else if (event instanceof PodFailed failed) {
                // Only a running (ready) TaskManager fails for its job; one failing to start is the
                // provisioner's doing, which the model decides.
                servedJob(replay, failed.clusterId(), failed.podName(), true).ifPresent(job ->
                        external.add(new PodFailed(failed.eventId(), failed.clusterId(), failed.occurredAt(),
                                REQUEST_POD + job, failed.reason(), failed.exitCode(), failed.message())));
            } else if (event instanceof ResourcesRequested requested && requested.requestId().indexOf(REPEAT) >= 0) {
                // the simulated Flink asking again: the simulation does so by itself
            } else if (!(event instanceof PodFact)) {
                external.add(event);
            }
            replay.handle(event);
        }
        return external;
    }

    private static boolean addressedToARequest(ResourceEvent event) {
        return event instanceof ResourcesReleased released && released.podName().startsWith(REQUEST_POD)
                || event instanceof PodFailed failed && failed.podName().startsWith(REQUEST_POD);
    }

    private static Optional<String> servedJob(Scheduler scheduler, String clusterId, String podName, boolean readyOnly) {
        return scheduler.cluster(clusterId).map(state -> state.pod(podName))
                .filter(pod -> !readyOnly || pod.status() == PodStatus.READY)
                .map(PodRecord::requestId).map(Simulator::jobOf);
    }

    /** The job a request id belongs to: itself, or the id a repeat was made from. */
    static String jobOf(String requestId) {
        int repeat = requestId.indexOf(REPEAT);
        return repeat < 0 ? requestId : requestId.substring(0, repeat);
    }

    private void drainUntil(Instant until) {
        while (!facts.isEmpty() && !facts.peek().at().isAfter(until)) {
            process(facts.poll().event());
        }
    }

    private void external(ResourceEvent event) {
        if (event instanceof ResourcesRequested requested) {
            arrive(requested);
        } else if (addressedToARequest(event) && event instanceof ResourcesReleased released) {
            release(released);
        } else if (addressedToARequest(event) && event instanceof PodFailed failed) {
            fail(failed);
        } else {
            process(event);
        }
    }

    private void process(ResourceEvent event) {
        trace.add(event);
        Set<Job> lost = new LinkedHashSet<>();
        if (event instanceof PodDeleted deleted) {
            // Deleted outside Slipway while a job held it (none of the simulated pods is, but a recording may say so).
            lostPod(deleted.clusterId(), deleted.podName(), lost);
        }
        List<Decision> made = scheduler.handle(event);
        report.observe(event, made);
        decisions.addAll(made);
        if (event instanceof PodReady ready) {
            Instant taken = takenWarm.remove(key(ready.clusterId(), ready.podName()));
            if (taken != null) {
                report.tookWarm(Duration.between(taken, ready.occurredAt()).toMillis());
            }
        }
        for (Decision decision : made) {
            if (decision instanceof ProvisionPod provision) {
                simulateStart(provision);
                Job job = provision.requestId() == null ? null
                        : jobsByRequest.get(key(provision.clusterId(), provision.requestId()));
                if (job != null) {
                    job.awaiting--;
                    job.held++;
                    holders.put(key(provision.clusterId(), provision.podName()), job);
                }
            } else if (decision instanceof DeletePod delete) {
                Instant at = delete.occurredAt().plusMillis(model.deleteMillis());
                schedule(at, new PodDeleted(nextId(), delete.clusterId(), at, delete.podName()));
                lostPod(delete.clusterId(), delete.podName(), lost);
            } else if (decision instanceof RequestRefused refused) {
                // Flink gives up what the platform refuses: the job runs with fewer TaskManagers.
                Job job = jobsByRequest.get(key(refused.clusterId(), refused.requestId()));
                if (job != null) {
                    int given = Math.min(refused.refused(), job.awaiting);
                    job.awaiting -= given;
                    job.demand = Math.max(0, job.demand - given);
                }
            }
        }
        for (Job job : lost) {
            need(job, event.occurredAt(), null);
        }
    }

    /** A pod a job held is gone (failed, timed out, deleted by the platform, not released by Flink). */
    private void lostPod(String clusterId, String podName, Set<Job> lost) {
        String pod = key(clusterId, podName);
        Job job = holders.remove(pod);
        takenWarm.remove(pod);
        if (job != null) {
            job.held--;
            lost.add(job);
        }
    }

    private void simulateStart(ProvisionPod provision) {
        String node = model.node(provision.podName());
        Instant created = provision.occurredAt().plusMillis(model.createMillis());
        Instant ready = created.plusMillis(model.readyMillis());
        schedule(created, new PodCreated(nextId(), provision.clusterId(), created, provision.podName(), provision.role(),
                provision.requestId(), node));
        if (model.fails(provision.clusterId(), provision.occurredAt())) {
            schedule(ready, new PodFailed(nextId(), provision.clusterId(), ready, provision.podName(), "OOMKilled", 137,
                    "simulated crash loop"));
        } else {
            schedule(ready, new PodReady(nextId(), provision.clusterId(), ready, provision.podName(), provision.role(), node,
                    node + ":6122"));
        }
    }

    private void schedule(Instant at, ResourceEvent event) {
        facts.add(new Pending(at, sequence++, event));
    }

    private String nextId() {
        return "sim-" + ids++;
    }

    // ---- the simulated Flink ---------------------------------------------------------------------

    /** A job arrives: it takes free warm TaskManagers and asks for the rest under the job's id. */
    private void arrive(ResourcesRequested requested) {
        String jobKey = key(requested.clusterId(), requested.requestId());
        if (jobs.containsKey(jobKey)) {
            return; // the same job again
        }
        Job job = new Job(requested.clusterId(), requested.requestId(), requested.count());
        jobs.put(jobKey, job);
        need(job, requested.occurredAt(), requested);
    }

    /**
     * Makes sure the job holds or awaits as many TaskManagers as it needs: free warm ones first, then a
     * request for the rest ({@code first} is the job's own request, later ones are repeats).
     */
    private void need(Job job, Instant at, ResourcesRequested first) {
        Optional<ClusterState> state = scheduler.cluster(job.clusterId);
        if (first == null && (state.isEmpty() || state.get().deleted())) {
            return; // the cluster and its Flink are gone
        }
        int missing = job.demand - job.held - job.awaiting;
        if (missing <= 0) {
            return;
        }
        missing -= takeWarm(job, state, missing, at);
        if (missing <= 0) {
            return;
        }
        job.requests++;
        String requestId = first != null ? first.requestId() : job.id + REPEAT + job.requests;
        jobsByRequest.put(key(job.clusterId, requestId), job);
        job.awaiting += missing;
        process(new ResourcesRequested(first != null ? first.eventId() : nextId(), job.clusterId, at, requestId, missing,
                first != null ? first.taskManager() : null));
    }

    private int takeWarm(Job job, Optional<ClusterState> state, int wanted, Instant at) {
        if (state.isEmpty()) {
            return 0;
        }
        List<PodRecord> free = state.get().pods().stream()
                .filter(PodRecord::warm)
                .filter(pod -> !holders.containsKey(key(job.clusterId, pod.name())))
                .sorted(BEST_WARM_FIRST)
                .limit(wanted)
                .toList();
        for (PodRecord pod : free) {
            holders.put(key(job.clusterId, pod.name()), job);
            job.held++;
            if (pod.status() == PodStatus.READY) {
                report.tookWarm(0);
            } else {
                takenWarm.put(key(job.clusterId, pod.name()), at);
            }
        }
        return free.size();
    }

    /**
     * One of the job's TaskManagers is no longer needed: Flink releases one it holds, a ready one if
     * any, else one still starting (Flink stops a pending worker it no longer needs).
     */
    private void release(ResourcesReleased released) {
        Job job = jobs.get(key(released.clusterId(), released.podName().substring(REQUEST_POD.length())));
        if (job == null || job.demand == 0) {
            return;
        }
        job.demand--;
        heldPod(job, true).or(() -> heldPod(job, false)).ifPresent(pod -> {
            holders.remove(key(job.clusterId, pod));
            job.held--;
            process(new ResourcesReleased(released.eventId(), released.clusterId(), released.occurredAt(), pod,
                    released.reason()));
        });
    }

    /** One of the job's running TaskManagers fails (a ready one it holds, if any). */
    private void fail(PodFailed failed) {
        Job job = jobs.get(key(failed.clusterId(), failed.podName().substring(REQUEST_POD.length())));
        if (job == null) {
            return;
        }
        heldPod(job, true).ifPresent(pod -> process(new PodFailed(failed.eventId(), failed.clusterId(),
                failed.occurredAt(), pod, failed.reason(), failed.exitCode(), failed.message())));
    }

    private Optional<String> heldPod(Job job, boolean readyOnly) {
        return scheduler.cluster(job.clusterId).flatMap(state -> state.pods().stream()
                .filter(pod -> pod.live() && holders.get(key(job.clusterId, pod.name())) == job)
                .filter(pod -> !readyOnly || pod.status() == PodStatus.READY)
                .map(PodRecord::name)
                .findFirst());
    }

    private static String key(String clusterId, String id) {
        return clusterId + '|' + id;
    }
}
