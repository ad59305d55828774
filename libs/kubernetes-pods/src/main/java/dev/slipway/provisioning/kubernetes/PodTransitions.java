package dev.slipway.provisioning.kubernetes;

import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.provisioning.JobManagerAddress;
import dev.slipway.provisioning.PodFacts;
import dev.slipway.provisioning.PodLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what the API server shows of a pod into pod facts: each fact at most once per pod, in the
 * order created, ready, failed, deleted (ready never follows failed). Pure apart from its memory of
 * what it reported; the caller brings the time. Not thread-safe: the caller serializes calls.
 */
public final class PodTransitions {

    /** Waiting reasons from which a pod with {@code restartPolicy: Never} does not recover by itself. */
    static final Set<String> FAILING_WAIT_REASONS = Set.of("ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull",
            "InvalidImageName", "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError",
            "RunContainerError");

    private final Map<String, Reported> reported = new HashMap<>();

    /** What a pod's current state adds to what was reported of it already. */
    public List<PodFact> observed(Pod pod, Instant at) {
        Identity id = identity(pod);
        if (id == null) {
            return List.of();
        }
        Reported before = reported.getOrDefault(id.podName(), Reported.NOTHING);
        Reported now = before;
        List<PodFact> facts = new ArrayList<>();
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (!now.created()) {
            facts.add(PodFacts.created(id.clusterId(), id.podName(), id.role(), id.requestId(), nodeName, at));
            now = new Reported(true, false, false);
        }
        if (!now.failed()) {
            Optional<Failure> failure = failure(pod);
            if (failure.isPresent()) {
                Failure f = failure.get();
                facts.add(PodFacts.failed(id.clusterId(), id.podName(), f.reason(), f.exitCode(), f.message(), at));
                now = new Reported(true, now.ready(), true);
            } else if (!now.ready() && ready(pod)) {
                facts.add(PodFacts.ready(id.clusterId(), id.podName(), id.role(), nodeName, address(pod, id.role()), at));
                now = new Reported(true, true, false);
            }
        }
        if (!now.equals(before)) {
            reported.put(id.podName(), now);
        }
        return facts;
    }

    /** The pod is gone. Forgets it, so memory stays bounded by the pods that exist. */
    public List<PodFact> deleted(Pod pod, Instant at) {
        Identity id = identity(pod);
        if (id == null) {
            return List.of();
        }
        reported.remove(id.podName());
        return List.of(PodFacts.deleted(id.clusterId(), id.podName(), at));
    }

    /** Forgets what was reported of the pod: its next observation reports it afresh. */
    public void forget(String podName) {
        reported.remove(podName);
    }

    /** How many pods are remembered. */
    public int tracked() {
        return reported.size();
    }

    /**
     * Why the pod is dead or cannot start, if it is. A pod being deleted is not failing: its
     * containers are stopped on purpose, and {@code PodDeleted} follows.
     */
    static Optional<Failure> failure(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null || pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        if ("Evicted".equals(status.getReason())) {
            return Optional.of(new Failure("Evicted", null, status.getMessage()));
        }
        List<ContainerStatus> containers = new ArrayList<>();
        if (status.getInitContainerStatuses() != null) {
            containers.addAll(status.getInitContainerStatuses());
        }
        if (status.getContainerStatuses() != null) {
            containers.addAll(status.getContainerStatuses());
        }
        for (ContainerStatus container : containers) {
            Optional<Failure> failure = failure(container, status);
            if (failure.isPresent()) {
                return failure;
            }
        }
        if ("Failed".equals(status.getPhase())) {
            return Optional.of(new Failure(nonBlank(status.getReason(), "Failed"), null, status.getMessage()));
        }
        if ("Succeeded".equals(status.getPhase())) {
            return Optional.of(new Failure("Completed", 0, nonBlank(status.getMessage(), "all containers exited")));
        }
        return Optional.empty();
    }

    private static Optional<Failure> failure(ContainerStatus container, PodStatus pod) {
        ContainerState state = container.getState();
        if (state == null) {
            return Optional.empty();
        }
        ContainerStateTerminated terminated = state.getTerminated();
        // A sidecar or init container may end with 0; the Flink process ending at all means the pod is done.
        if (terminated != null && (nonZero(terminated.getExitCode())
                || FlinkPodFactory.MAIN_CONTAINER.equals(container.getName()))) {
            Integer exitCode = terminated.getExitCode();
            String reason = nonBlank(terminated.getReason(), nonZero(exitCode) ? "Error" : "Completed");
            String message = nonBlank(terminated.getMessage(), nonBlank(pod.getMessage(),
                    "container " + container.getName() + " terminated: " + reason + " (exit code " + exitCode + ")"));
            return Optional.of(new Failure(reason, exitCode, message));
        }
        ContainerStateWaiting waiting = state.getWaiting();
        if (waiting != null && FAILING_WAIT_REASONS.contains(waiting.getReason())) {
            ContainerState last = container.getLastState();
            Integer exitCode = last == null || last.getTerminated() == null ? null : last.getTerminated().getExitCode();
            String message = nonBlank(waiting.getMessage(),
                    "container " + container.getName() + " waiting: " + waiting.getReason());
            return Optional.of(new Failure(waiting.getReason(), exitCode, message));
        }
        return Optional.empty();
    }

    /** All containers of the spec report ready. */
    static boolean ready(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null || status.getContainerStatuses() == null || status.getContainerStatuses().isEmpty()
                || pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null) {
            return false;
        }
        int expected = pod.getSpec() == null || pod.getSpec().getContainers() == null ? 0 : pod.getSpec().getContainers().size();
        return status.getContainerStatuses().size() >= expected
                && status.getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()));
    }

    /** podIP:port where the process answers: REST for a JobManager, RPC for a TaskManager. */
    static String address(Pod pod, PodRole role) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip == null || ip.isBlank()) {
            return null;
        }
        boolean jobManager = role == PodRole.JOB_MANAGER;
        int port = jobManager ? JobManagerAddress.DEFAULT_REST_PORT : FlinkPodFactory.TASK_MANAGER_RPC_PORT;
        String portName = jobManager ? "rest" : "rpc";
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            for (Container container : pod.getSpec().getContainers()) {
                if (FlinkPodFactory.MAIN_CONTAINER.equals(container.getName()) && container.getPorts() != null) {
                    for (ContainerPort declared : container.getPorts()) {
                        if (portName.equals(declared.getName()) && declared.getContainerPort() != null) {
                            port = declared.getContainerPort();
                        }
                    }
                }
            }
        }
        return ip + ":" + port;
    }

    private static Identity identity(Pod pod) {
        if (pod.getMetadata() == null || pod.getMetadata().getName() == null || pod.getMetadata().getLabels() == null) {
            return null;
        }
        Map<String, String> labels = pod.getMetadata().getLabels();
        String clusterId = labels.get(PodLabels.CLUSTER);
        PodRole role = PodLabels.role(labels.get(PodLabels.ROLE));
        if (clusterId == null || role == null) {
            return null;
        }
        return new Identity(clusterId, pod.getMetadata().getName(), role, labels.get(PodLabels.REQUEST));
    }

    private static boolean nonZero(Integer exitCode) {
        return exitCode != null && exitCode != 0;
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Why a pod failed, as {@code PodFailed} carries it. */
    record Failure(String reason, Integer exitCode, String message) {
    }

    private record Identity(String clusterId, String podName, PodRole role, String requestId) {
    }

    private record Reported(boolean created, boolean ready, boolean failed) {

        static final Reported NOTHING = new Reported(false, false, false);
    }
}
