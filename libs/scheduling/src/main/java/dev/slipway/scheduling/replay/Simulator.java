package dev.slipway.scheduling.replay;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.resources.ResourcesReleased;
import dev.slipway.scheduling.ClusterState;
import dev.slipway.scheduling.PodRecord;
import dev.slipway.scheduling.PodStatus;
import dev.slipway.scheduling.Policy;
import dev.slipway.scheduling.Scheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Runs the scheduler against a simulated provisioner, so a policy can be tried on events that were
 * recorded under another one: the pods differ, so their facts must be made up, by a
 * {@link ProvisionerModel}. The inputs are the "external" events (specs, requests, ticks) plus
 * releases and failures addressed to a request rather than a pod ({@code request:<id>} as pod name),
 * which the simulation resolves to whichever pod serves that request under the policy being tried.
 */
public final class Simulator {

    /** Pod name prefix of a release or failure addressed to a request's pod. */
    public static final String REQUEST_POD = "request:";

    /** The full trace as a live system would have recorded it, the decisions, and their cost. */
    public record Result(List<ResourceEvent> trace, List<Decision> decisions, ReplayReport report) {
    }

    private record Pending(Instant at, long sequence, ResourceEvent event) {
    }

    private final Scheduler scheduler;
    private final ProvisionerModel model;
    private final ReportCollector report = new ReportCollector();
    private final PriorityQueue<Pending> facts =
            new PriorityQueue<>(Comparator.comparing(Pending::at).thenComparingLong(Pending::sequence));
    private final List<ResourceEvent> trace = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private long sequence;

    private Simulator(Policy policy, ProvisionerModel model) {
        this.scheduler = new Scheduler(policy);
        this.model = model;
    }

    public static Result run(List<ResourceEvent> external, ProvisionerModel model, Policy policy) {
        Simulator simulator = new Simulator(policy, model);
        for (ResourceEvent event : external) {
            simulator.drainUntil(event.occurredAt());
            simulator.resolve(event).ifPresent(simulator::process);
        }
        simulator.drainUntil(Instant.MAX);
        return new Result(simulator.trace, simulator.decisions, simulator.report.report());
    }

    /**
     * Turns a recorded trace into simulation input: pod facts are dropped (the simulation makes its
     * own), and releases and failures of pods that served a request are addressed to that request.
     * Releases and failures of other pods (warm, static, JobManager) have no counterpart and are dropped.
     */
    public static List<ResourceEvent> externalize(List<ResourceEvent> recorded) {
        // Which request a pod served is known from the decisions (warm pods are assigned later), and the
        // decisions are a deterministic function of the trace: replaying it recovers them.
        Scheduler replay = new Scheduler(Policy.RECORDED);
        List<ResourceEvent> external = new ArrayList<>();
        for (ResourceEvent event : recorded) {
            if (event instanceof ResourcesReleased released) {
                servedRequest(replay, released.clusterId(), released.podName()).ifPresent(request ->
                        external.add(new ResourcesReleased(released.eventId(), released.clusterId(), released.occurredAt(),
                                REQUEST_POD + request, released.reason())));
            } else if (event instanceof PodFailed failed) {
                servedRequest(replay, failed.clusterId(), failed.podName()).ifPresent(request ->
                        external.add(new PodFailed(failed.eventId(), failed.clusterId(), failed.occurredAt(),
                                REQUEST_POD + request, failed.reason(), failed.exitCode(), failed.message())));
            } else if (!(event instanceof PodFact)) {
                external.add(event);
            }
            replay.handle(event);
        }
        return external;
    }

    private static Optional<String> servedRequest(Scheduler scheduler, String clusterId, String podName) {
        return scheduler.cluster(clusterId).map(state -> state.pod(podName)).map(PodRecord::requestId);
    }

    private void drainUntil(Instant until) {
        while (!facts.isEmpty() && !facts.peek().at().isAfter(until)) {
            process(facts.poll().event());
        }
    }

    private void process(ResourceEvent event) {
        trace.add(event);
        List<Decision> made = scheduler.handle(event);
        report.observe(event, made);
        decisions.addAll(made);
        for (Decision decision : made) {
            if (decision instanceof ProvisionPod provision) {
                simulateStart(provision);
            } else if (decision instanceof DeletePod delete) {
                Instant at = delete.occurredAt().plusMillis(model.deleteMillis());
                schedule(at, new PodDeleted(nextId(), delete.clusterId(), at, delete.podName()));
            }
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
        return "sim-" + sequence;
    }

    /** A request-addressed release or failure becomes one of the pod serving that request now, or nothing. */
    private Optional<ResourceEvent> resolve(ResourceEvent event) {
        if (event instanceof ResourcesReleased released && released.podName().startsWith(REQUEST_POD)) {
            return servingPod(released.clusterId(), released.podName(), true)
                    .map(pod -> new ResourcesReleased(released.eventId(), released.clusterId(), released.occurredAt(),
                            pod, released.reason()));
        }
        if (event instanceof PodFailed failed && failed.podName().startsWith(REQUEST_POD)) {
            return servingPod(failed.clusterId(), failed.podName(), false)
                    .map(pod -> new PodFailed(failed.eventId(), failed.clusterId(), failed.occurredAt(), pod,
                            failed.reason(), failed.exitCode(), failed.message()));
        }
        return Optional.of(event);
    }

    private Optional<String> servingPod(String clusterId, String address, boolean readyOnly) {
        String requestId = address.substring(REQUEST_POD.length());
        Optional<ClusterState> state = scheduler.cluster(clusterId);
        if (state.isEmpty()) {
            return Optional.empty();
        }
        return state.get().pods().stream()
                .filter(pod -> requestId.equals(pod.requestId()) && pod.live())
                .filter(pod -> !readyOnly || pod.status() == PodStatus.READY)
                .map(PodRecord::name)
                .findFirst();
    }
}
