package dev.slipway.flink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.ApplicationStatus;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.resourcemanager.active.AbstractResourceManagerDriver;

/**
 * Flink's resource manager asks the platform for TaskManagers. A request is POSTed to the
 * resource-scheduler; the platform decides and names the pod at once, and this driver hands that pod
 * to Flink before the TaskManager can register (Flink refuses TaskManagers it does not know). Pods the
 * platform made on its own (the warm pool, pods from before a JobManager restart) are reported as
 * recovered workers. A pod the platform removes is reported as a terminated worker.
 *
 * <p>Every method here runs on the resource manager's main thread, and so does every callback: HTTP
 * happens on the JDK client's threads and comes back through the main-thread executor, so the state
 * below needs no locks and Flink is never blocked on the network.
 */
public class SlipwayResourceManagerDriver extends AbstractResourceManagerDriver<SlipwayWorker> {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration INITIAL_LIST_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Flink asks for its minimum (the warm pool) within milliseconds of starting; a warm TaskManager
     * needs seconds to register (seen: 3 to 11 s). Within this window a listed warm pod is surely
     * unregistered.
     */
    private static final Duration WARM_HAND_OUT_WINDOW = Duration.ofSeconds(2);

    private final PlatformClient platform;
    private final Duration maxBackoff;
    /** Request ids are unique per JobManager attempt: a restarted JobManager never completes an old request. */
    private final String attempt = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, CompletableFuture<SlipwayWorker>> pendingRequests = new HashMap<>();
    private final Set<String> cancelledRequests = new HashSet<>();
    private final Set<String> knownWorkers = new HashSet<>();
    private final Set<String> releasedWorkers = new HashSet<>();
    /**
     * Warm pods listed when this resource manager started: none can have registered with it yet, so
     * they can serve Flink's first requests as they are (see {@link #requestResource}).
     */
    private final Set<String> unregisteredWarmWorkers = new TreeSet<>();
    private long warmHandOutEndsNanos;
    private long requestCounter;
    private boolean recoveryReported;

    public SlipwayResourceManagerDriver(Configuration flinkConfig, PlatformClient platform) {
        super(flinkConfig, flinkConfig);
        this.platform = platform;
        this.maxBackoff = flinkConfig.get(SlipwayOptions.RETRY_MAX_BACKOFF);
    }

    /**
     * Lists the cluster's pods before Flink's slot manager starts, as Flink's Kubernetes driver does:
     * otherwise Flink requests its minimum before it hears of the warm TaskManagers already there. A
     * platform that does not answer in time is caught up with by the stream.
     */
    @Override
    protected void initializeInternal() {
        try {
            onListed(platform.pods().get(INITIAL_LIST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            warmHandOutEndsNanos = System.nanoTime() + WARM_HAND_OUT_WINDOW.toNanos();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not list the cluster's pods at start ({}); following the platform instead", cause(e).getMessage());
        }
        follow(FIRST_BACKOFF);
    }

    /**
     * Follows the cluster's pod changes and lists its pods (after the stream is open, so no change falls
     * between the two); when the stream breaks, waits and starts over, listing again.
     */
    private void follow(Duration backoff) {
        if (platform.closed()) {
            return;
        }
        CompletableFuture<Void> stream = platform.followPods(pod -> getMainThreadExecutor().execute(() -> onPod(pod)));
        list(FIRST_BACKOFF);
        stream.whenComplete((ended, failure) -> {
            if (platform.closed()) {
                return;
            }
            if (failure != null) {
                log.warn("Lost the platform's pod stream ({}); reconnecting in {} ms", cause(failure).getMessage(), backoff.toMillis());
            }
            Duration wait = failure == null ? FIRST_BACKOFF : backoff;
            getMainThreadExecutor().schedule(() -> follow(failure == null ? FIRST_BACKOFF : next(backoff)), wait.toMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }

    private void list(Duration backoff) {
        platform.pods().whenComplete((pods, failure) -> {
            if (failure == null) {
                getMainThreadExecutor().execute(() -> onListed(pods));
            } else if (!platform.closed()) {
                log.warn("Could not list the cluster's pods ({}); retrying in {} ms", cause(failure).getMessage(), backoff.toMillis());
                getMainThreadExecutor().schedule(() -> list(next(backoff)), backoff.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * The first listing tells Flink which workers exist already, all at once and even when there are
     * none: Flink's resource manager serves only after it heard about recovered workers.
     */
    void onListed(List<PlatformPod> pods) {
        if (recoveryReported) {
            pods.forEach(this::onPod);
            return;
        }
        recoveryReported = true;
        List<SlipwayWorker> recovered = new ArrayList<>();
        for (PlatformPod pod : pods) {
            if (pod.taskManager() && !pod.terminating() && knownWorkers.add(pod.name())) {
                recovered.add(new SlipwayWorker(pod.name()));
                // Nothing registers with this resource manager before it starts, ready pods included.
                unregisteredWarmWorkers.add(pod.name());
            }
        }
        log.info("Recovered {} TaskManager(s) the platform runs for this cluster: {}", recovered.size(), recovered);
        getResourceEventHandler().onPreviousAttemptWorkersRecovered(recovered);
    }

    void onPod(PlatformPod pod) {
        if (!pod.taskManager() || releasedWorkers.contains(pod.name())) {
            return;
        }
        if (pod.terminating()) {
            unregisteredWarmWorkers.remove(pod.name());
            if (knownWorkers.remove(pod.name())) {
                getResourceEventHandler().onWorkerTerminated(new SlipwayWorker(pod.name()).getResourceID(),
                        "the platform removed pod " + pod.name() + " (its decisions say why)");
            }
            return;
        }
        if (!knownWorkers.add(pod.name())) {
            return;
        }
        SlipwayWorker worker = new SlipwayWorker(pod.name());
        CompletableFuture<SlipwayWorker> pending = pod.requestId() == null ? null : pendingRequests.remove(pod.requestId());
        if (pending != null) {
            log.info("The platform serves request {} with pod {}", pod.requestId(), pod.name());
            pending.complete(worker);
        } else if (pod.requestId() != null && cancelledRequests.remove(pod.requestId())) {
            knownWorkers.remove(pod.name());
            releasedWorkers.add(pod.name());
            log.info("Pod {} serves request {}, which Flink no longer needs; releasing it", pod.name(), pod.requestId());
            retry(() -> platform.release(pod.name(), "request " + pod.requestId() + " was cancelled by Flink"),
                    "release of " + pod.name(), FIRST_BACKOFF);
        } else {
            log.info("Pod {} was made by the platform on its own (warm pool or an earlier JobManager); recovering it", pod.name());
            getResourceEventHandler().onPreviousAttemptWorkersRecovered(List.of(worker));
        }
    }

    /**
     * A recovered warm pod that has not registered yet serves the request as it is: Flink asks for its
     * minimum (the warm pool) the moment it starts, before the warm TaskManagers can register, and
     * would otherwise get a second pool. Such a worker is counted once: Flink's request takes it over.
     * Only pods listed at start and only within {@link #WARM_HAND_OUT_WINDOW}: a pod that may have
     * registered is never handed out, since a registered worker given to a request would be stopped
     * as "not registered in time" (after resourcemanager.taskmanager-registration.timeout).
     */
    @Override
    public CompletableFuture<SlipwayWorker> requestResource(TaskExecutorProcessSpec spec) {
        if (!unregisteredWarmWorkers.isEmpty() && System.nanoTime() - warmHandOutEndsNanos < 0) {
            String warm = unregisteredWarmWorkers.iterator().next();
            unregisteredWarmWorkers.remove(warm);
            log.info("Serving Flink's request with warm pod {}, which has not registered yet", warm);
            return CompletableFuture.completedFuture(new SlipwayWorker(warm));
        }
        String requestId = attempt + "-" + requestCounter++;
        CompletableFuture<SlipwayWorker> worker = new CompletableFuture<>();
        pendingRequests.put(requestId, worker);
        worker.whenComplete((done, failure) -> {
            if (worker.isCancelled()) {
                getMainThreadExecutor().execute(() -> {
                    if (pendingRequests.remove(requestId) != null) {
                        cancelledRequests.add(requestId);
                    }
                });
            }
        });
        double cpu = spec.getCpuCores().getValue().doubleValue();
        long memoryMb = spec.getTotalProcessMemorySize().getMebiBytes();
        log.info("Requesting a TaskManager ({} cpu, {} MiB) from the platform as {}", cpu, memoryMb, requestId);
        retry(() -> platform.requestTaskManagers(requestId, 1, cpu, memoryMb), "request " + requestId, FIRST_BACKOFF)
                .whenComplete((accepted, failure) -> {
                    if (failure != null) {
                        getMainThreadExecutor().execute(() -> {
                            pendingRequests.remove(requestId);
                            worker.completeExceptionally(cause(failure));
                        });
                    }
                });
        return worker;
    }

    @Override
    public void releaseResource(SlipwayWorker worker) {
        knownWorkers.remove(worker.podName());
        releasedWorkers.add(worker.podName());
        retry(() -> platform.release(worker.podName(), "released by Flink's resource manager"),
                "release of " + worker.podName(), FIRST_BACKOFF);
    }

    /**
     * Calls the platform until it answers; an unreachable platform is retried with back-off (Flink's
     * request stays pending meanwhile), a refusal that cannot heal fails at once.
     */
    private CompletableFuture<Void> retry(Supplier<CompletableFuture<Void>> call, String what, Duration backoff) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        call.get().whenComplete((done, failure) -> {
            if (failure == null) {
                result.complete(null);
                return;
            }
            Throwable cause = cause(failure);
            boolean retryable = !(cause instanceof PlatformClient.PlatformException refused) || refused.retryable();
            if (!retryable || platform.closed()) {
                log.error("The platform refused the {}: {}", what, cause.getMessage());
                result.completeExceptionally(cause);
                return;
            }
            log.warn("The {} did not reach the platform ({}); retrying in {} ms", what, cause.getMessage(), backoff.toMillis());
            getMainThreadExecutor().schedule(() -> retry(call, what, next(backoff)).whenComplete((again, error) -> {
                if (error == null) {
                    result.complete(null);
                } else {
                    result.completeExceptionally(error);
                }
            }), backoff.toMillis(), TimeUnit.MILLISECONDS);
        });
        return result;
    }

    private Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
    }

    private static Throwable cause(Throwable failure) {
        boolean wrapped = failure instanceof CompletionException || failure instanceof ExecutionException;
        return wrapped && failure.getCause() != null ? failure.getCause() : failure;
    }

    @Override
    public void terminate() {
        platform.close();
    }

    @Override
    public void deregisterApplication(ApplicationStatus finalStatus, String optionalDiagnostics) {
        // The cluster's pods belong to the platform: job-submission deletes the cluster, not the JobManager.
        log.info("JobManager deregisters ({}); the platform keeps the cluster until it is deleted", finalStatus);
    }
}
