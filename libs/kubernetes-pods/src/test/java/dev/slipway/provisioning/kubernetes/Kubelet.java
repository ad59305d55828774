package dev.slipway.provisioning.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Plays the scheduler and kubelet against the mock API server: binds pods to nodes and moves their
 * status through Pending, Running, Ready and the ways pods fail, through the status subresource.
 */
final class Kubelet {

    private static final String START = "2026-01-01T00:00:00Z";

    private final KubernetesClient client;
    private final String namespace;
    private final AtomicInteger addresses = new AtomicInteger(10);

    Kubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Scheduled to the node; containers being created. */
    void pending(String pod, String node) {
        resource(pod).edit(p -> {
            p.getSpec().setNodeName(node);
            return p;
        });
        status(pod, (p, status) -> {
            status.setPhase("Pending");
            status.setHostIP("192.168.0.1");
            status.setContainerStatuses(each(p, name -> waiting(name, "ContainerCreating", null)));
        });
    }

    /** Containers started, not ready yet. */
    void running(String pod) {
        String ip = "10.0.0." + addresses.getAndIncrement();
        status(pod, (p, status) -> {
            status.setPhase("Running");
            status.setPodIP(ip);
            status.setContainerStatuses(each(p, name -> container(name, false,
                    new ContainerStateBuilder().withNewRunning().withStartedAt(START).endRunning().build())));
        });
    }

    /** Every container passes its readiness probe. */
    void ready(String pod) {
        status(pod, (p, status) -> {
            status.getContainerStatuses().forEach(c -> c.setReady(true));
            status.setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()));
        });
    }

    /** The Flink container exceeded its memory limit. */
    void oomKilled(String pod) {
        terminated(pod, "OOMKilled", 137, null);
    }

    /** The Flink process exited with an error. */
    void terminated(String pod, String reason, int exitCode, String message) {
        status(pod, (p, status) -> {
            status.setPhase("Failed");
            status.setContainerStatuses(each(p, name -> container(name, false,
                    FlinkPodFactory.MAIN_CONTAINER.equals(name)
                            ? new ContainerStateBuilder().withNewTerminated().withReason(reason).withExitCode(exitCode)
                                    .withMessage(message).endTerminated().build()
                            : new ContainerStateBuilder().withNewRunning().withStartedAt(START).endRunning().build())));
        });
    }

    /** The image cannot be pulled. */
    void imagePullBackOff(String pod) {
        status(pod, (p, status) -> {
            status.setPhase("Pending");
            status.setContainerStatuses(each(p, name -> waiting(name, "ImagePullBackOff",
                    "Back-off pulling image \"" + p.getSpec().getContainers().get(0).getImage() + "\"")));
        });
    }

    /** The kubelet evicted the pod under node pressure. */
    void evicted(String pod) {
        status(pod, (p, status) -> {
            status.setPhase("Failed");
            status.setReason("Evicted");
            status.setMessage("The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki.");
        });
    }

    private void status(String pod, BiConsumer<Pod, PodStatus> change) {
        Pod current = resource(pod).get();
        PodStatus status = current.getStatus() == null ? new PodStatus() : current.getStatus();
        change.accept(current, status);
        current.setStatus(status);
        client.pods().inNamespace(namespace).resource(current).updateStatus();
    }

    private PodResource resource(String pod) {
        return client.pods().inNamespace(namespace).withName(pod);
    }

    private static List<ContainerStatus> each(Pod pod, Function<String, ContainerStatus> status) {
        return pod.getSpec().getContainers().stream().map(c -> status.apply(c.getName())).toList();
    }

    private static ContainerStatus waiting(String name, String reason, String message) {
        return container(name, false,
                new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build());
    }

    private static ContainerStatus container(String name, boolean ready, ContainerState state) {
        return new ContainerStatusBuilder().withName(name).withReady(ready).withState(state).build();
    }
}
