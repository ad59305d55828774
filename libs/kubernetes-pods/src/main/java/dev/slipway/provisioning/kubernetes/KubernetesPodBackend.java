package dev.slipway.provisioning.kubernetes;

import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.provisioning.PodBackend;
import dev.slipway.provisioning.PodFactSink;
import dev.slipway.provisioning.PodFacts;
import dev.slipway.provisioning.PodLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.ServiceResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pods on Kubernetes (fabric8): a {@link ProvisionPod} becomes a pod (and, for a JobManager, its
 * Service) in one namespace, and an informer on the platform's pods turns what Kubernetes does with
 * them into pod facts.
 *
 * <p>An API error while creating (forbidden, quota exceeded, conflict, invalid) becomes a
 * {@code PodFailed} fact with the API's message, reported once: the scheduler decides whether and
 * when to try again. {@link #close()} stops observing and leaves the pods running: they belong to
 * their cluster, not to this process, and a restarted backend reports them again on {@link #start}.
 */
public final class KubernetesPodBackend implements PodBackend {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesPodBackend.class);
    /** The informer hands every cached pod to the handler again this often (no API call): a safety net for lost reports. */
    static final Duration RESYNC = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final String namespace;
    private final FlinkPodFactory factory;
    private final Clock clock;
    /** Guarded by itself, which also keeps the facts of one pod in order across threads. */
    private final PodTransitions transitions = new PodTransitions();

    private volatile PodFactSink sink;
    private SharedIndexInformer<Pod> informer;

    public KubernetesPodBackend(KubernetesClient client, String namespace, KubernetesBackendSettings settings, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.factory = new FlinkPodFactory(settings);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reports the platform's pods as they are now, then starts the informer. A failure to list (the
     * API unreachable, no permission) is thrown: the service is not ready without its pods.
     */
    @Override
    public synchronized void start(PodFactSink sink) {
        Objects.requireNonNull(sink, "sink");
        if (this.sink != null) {
            throw new IllegalStateException("started already");
        }
        List<Pod> existing = platformPods().list().getItems();
        this.sink = sink;
        LOG.info("Found {} pods of the platform in namespace {}", existing.size(), namespace);
        existing.forEach(this::observed);
        // The informer lists again: what changed since the listing above arrives as an add or update.
        informer = platformPods().inform(new PodEvents(), RESYNC.toMillis());
    }

    @Override
    public void provision(ProvisionPod decision) {
        requireStarted();
        try {
            if (decision.role() == PodRole.JOB_MANAGER) {
                create(services(), factory.jobManagerService(decision.clusterId()), decision.clusterId());
            }
            create(pods(), factory.pod(decision), decision.clusterId());
        } catch (KubernetesClientException e) {
            LOG.warn("Pod {} of cluster {} not created: {}", decision.podName(), decision.clusterId(), message(e));
            report(PodFacts.failed(decision.clusterId(), decision.podName(), reason(e), null, message(e), clock.instant()));
        }
    }

    @Override
    public void delete(DeletePod decision) {
        try {
            Pod pod = pods().withName(decision.podName()).get();
            if (pod != null && ours(pod, decision.clusterId())) {
                pods().withName(decision.podName()).delete();
            } else if (pod != null) {
                LOG.warn("Pod {} is not a pod of cluster {}: left alone", decision.podName(), decision.clusterId());
            }
            if (decision.role() == PodRole.JOB_MANAGER && !otherJobManager(decision)) {
                Service service = services().withName(FlinkPodFactory.serviceName(decision.clusterId())).get();
                if (service != null && ours(service, decision.clusterId())) {
                    services().withName(service.getMetadata().getName()).delete();
                }
            }
        } catch (KubernetesClientException e) {
            // Nothing to report: the pod (if any) still exists and its facts keep coming from the informer.
            LOG.warn("Pod {} of cluster {} not deleted: {}", decision.podName(), decision.clusterId(), message(e));
        }
    }

    /** Stops the informer; the pods keep running. */
    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }

    /** The short reason of a {@code PodFailed} for an API error. */
    static String reason(KubernetesClientException e) {
        String message = message(e);
        if (message != null && message.contains("exceeded quota")) {
            return "QuotaExceeded";
        }
        return switch (e.getCode()) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            default -> {
                Status status = e.getStatus();
                if (status != null && status.getReason() != null && !status.getReason().isBlank()) {
                    yield status.getReason();
                }
                yield e.getCode() >= 500 ? "ServerError" : "ApiError";
            }
        };
    }

    /** The API's own message when it sent one, else the client's. */
    static String message(KubernetesClientException e) {
        Status status = e.getStatus();
        if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
            return status.getMessage();
        }
        return e.getMessage();
    }

    /** Creates the object; one of the same name that belongs to the cluster already is fine (idempotent). */
    private static <T extends HasMetadata, R extends Resource<T>> void create(NonNamespaceOperation<T, ?, R> operation, T object,
            String clusterId) {
        try {
            operation.resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            T existing = operation.withName(object.getMetadata().getName()).get();
            if (existing == null || !ours(existing, clusterId)) {
                throw e;
            }
            LOG.debug("{} {} exists already", object.getKind(), object.getMetadata().getName());
        }
    }

    private static boolean ours(HasMetadata object, String clusterId) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && PodLabels.MANAGER.equals(labels.get(PodLabels.MANAGED_BY))
                && clusterId.equals(labels.get(PodLabels.CLUSTER));
    }

    /** Another JobManager of the cluster that stays: a terminating one does not keep the Service. */
    private boolean otherJobManager(DeletePod decision) {
        return pods().withLabel(PodLabels.CLUSTER, decision.clusterId())
                .withLabel(PodLabels.ROLE, PodLabels.roleValue(PodRole.JOB_MANAGER))
                .list().getItems().stream()
                .anyMatch(pod -> !pod.getMetadata().getName().equals(decision.podName())
                        && pod.getMetadata().getDeletionTimestamp() == null);
    }

    private void observed(Pod pod) {
        synchronized (transitions) {
            try {
                transitions.observed(pod, clock.instant()).forEach(sink::report);
            } catch (RuntimeException e) {
                // Forgotten, the pod's facts are reported again on its next update or the informer's resync;
                // their deterministic ids make the repetition harmless.
                transitions.forget(pod.getMetadata().getName());
                LOG.error("Facts of pod {} not reported; they will be again", pod.getMetadata().getName(), e);
            }
        }
    }

    private void deleted(Pod pod) {
        synchronized (transitions) {
            transitions.deleted(pod, clock.instant()).forEach(sink::report);
        }
    }

    private void report(PodFact fact) {
        synchronized (transitions) {
            sink.report(fact);
        }
    }

    private void requireStarted() {
        if (sink == null) {
            throw new IllegalStateException("start(sink) first: facts of this decision would have nowhere to go");
        }
    }

    private NonNamespaceOperation<Pod, PodList, PodResource> pods() {
        return client.pods().inNamespace(namespace);
    }

    private NonNamespaceOperation<Service, ServiceList, ServiceResource<Service>> services() {
        return client.services().inNamespace(namespace);
    }

    private FilterWatchListDeletable<Pod, PodList, PodResource> platformPods() {
        return pods().withLabel(PodLabels.MANAGED_BY, PodLabels.MANAGER);
    }

    private final class PodEvents implements ResourceEventHandler<Pod> {

        @Override
        public void onAdd(Pod pod) {
            observed(pod);
        }

        @Override
        public void onUpdate(Pod before, Pod pod) {
            observed(pod);
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            deleted(pod);
        }
    }
}
