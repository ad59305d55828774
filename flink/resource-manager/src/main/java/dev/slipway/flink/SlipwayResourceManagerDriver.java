package dev.slipway.flink;

import static dev.slipway.flink.PlatformCalls.cause;
import static dev.slipway.flink.PlatformCalls.describe;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
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

    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration INITIAL_LIST_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Flink asks for its minimum (the warm pool) within milliseconds of hearing of the recovered workers; a warm
     * TaskManager needs seconds to register (seen: 3 to 11 s). Within this window a listed warm pod is surely
     * unregistered.
     */
    static final Duration WARM_HAND_OUT_WINDOW = Duration.ofSeconds(2);
    static final String RELEASED_BY_FLINK = "released by Flink's resource manager";

    private final SchedulerApi platform;
    private final Backoff backoff;
    private final PlatformCalls calls;
    private final LongSupplier nanoTime;
    /** Request ids are unique per JobManager attempt: a restarted JobManager never completes an old request. */
    private final String attempt = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, CompletableFuture<SlipwayWorker>> pendingRequests = new HashMap<>();
    private final Set<String> cancelledRequests = new HashSet<>();
    private final Set<String> knownWorkers = new HashSet<>();
    private final Set<String> releasedWorkers = new HashSet<>();
    /**
     * Warm pods of the first listing: none can have registered before Flink heard of them, so they can serve Flink's
     * first requests as they are (see {@link #requestResource}).
     */
    private final Set<String> unregisteredWarmWorkers = new TreeSet<>();
    private long warmHandOutEndsNanos;
    private long requestCounter;
    private boolean recoveryReported;

    public SlipwayResourceManagerDriver(Configuration flinkConfig, SchedulerApi platform) {
        this(flinkConfig, platform, System::nanoTime);
    }

    /** {@code nanoTime} measures the warm hand-out window; tests pass the clock of their scheduled executor. */
    SlipwayResourceManagerDriver(Configuration flinkConfig, SchedulerApi platform, LongSupplier nanoTime) {
        super(flinkConfig, flinkConfig);
        this.platform = platform;
        this.backoff = new Backoff(FIRST_BACKOFF, flinkConfig.get(SlipwayOptions.RETRY_MAX_BACKOFF),
                flinkConfig.get(SlipwayOptions.RETRY_JITTER));
        this.calls = new PlatformCalls(backoff, this::getMainThreadExecutor, platform::closed);
        this.nanoTime = nanoTime;
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not list the cluster's pods at start ({}); following the platform instead", describe(cause(e)));
        }
        follow(backoff.first());
    }

    /**
     * Follows the cluster's pod changes and lists its pods (after the stream is open, so no change falls
     * between the two); when the stream breaks, waits and starts over, listing again.
     */
    private void follow(Duration wait) {
        if (platform.closed()) {
            return;
        }
        CompletableFuture<Void> stream = platform.followPods(pod -> getMainThreadExecutor().execute(() -> onPod(pod)));
        list(backoff.first());
        stream.whenComplete((ended, failure) -> {
            if (platform.closed()) {
                return;
            }
            if (failure == null) {
                getMainThreadExecutor().schedule(() -> follow(backoff.first()), backoff.delay(backoff.first(), null).toMillis(),
                        TimeUnit.MILLISECONDS);
                return;
            }
            Duration delay = backoff.delay(wait, cause(failure));
            log.warn("Lost the platform's pod stream ({}); reconnecting in {} ms", describe(cause(failure)), delay.toMillis());
            getMainThreadExecutor().schedule(() -> follow(backoff.next(wait)), delay.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void list(Duration wait) {
        platform.pods().whenComplete((pods, failure) -> {
            if (failure == null) {
                getMainThreadExecutor().execute(() -> onListed(pods));
            } else if (!platform.closed()) {
                Duration delay = backoff.delay(wait, cause(failure));
                log.warn("Could not list the cluster's pods ({}); retrying in {} ms", describe(cause(failure)), delay.toMillis());
                getMainThreadExecutor().schedule(() -> list(backoff.next(wait)), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * The first listing tells Flink which workers exist already, all at once and even when there are
     * none: Flink's resource manager serves only after it heard about recovered workers. Later listings
     * (after the stream broke) are changes like any other.
     */
    private void onListed(List<PlatformPod> pods) {
        if (recoveryReported) {
            pods.forEach(this::onPod);
            return;
        }
        recoveryReported = true;
        List<SlipwayWorker> recovered = new ArrayList<>();
        List<PlatformPod> servingThisAttempt = new ArrayList<>();
        for (PlatformPod pod : pods) {
            if (!pod.taskManager() || pod.terminating()) {
                continue;
            }
            if (requestedByThisAttempt(pod)) {
                // A listing that failed at start can answer after Flink's first requests: their pods serve them.
                servingThisAttempt.add(pod);
            } else if (knownWorkers.add(pod.name())) {
                recovered.add(new SlipwayWorker(pod.name()));
                unregisteredWarmWorkers.add(pod.name());
            }
        }
        warmHandOutEndsNanos = nanoTime.getAsLong() + WARM_HAND_OUT_WINDOW.toNanos();
        log.info("Recovered {} TaskManager(s) the platform runs for this cluster: {}", recovered.size(), recovered);
        getResourceEventHandler().onPreviousAttemptWorkersRecovered(recovered);
        servingThisAttempt.forEach(this::onPod);
    }

    private boolean requestedByThisAttempt(PlatformPod pod) {
        return pod.requestId() != null && (pendingRequests.containsKey(pod.requestId()) || cancelledRequests.contains(pod.requestId()));
    }

    private void onPod(PlatformPod pod) {
        if (!pod.taskManager() || releasedWorkers.contains(pod.name())) {
            return;
        }
        if (pod.terminating()) {
            onTerminating(pod);
            return;
        }
        if (!knownWorkers.add(pod.name())) {
            return;
        }
        SlipwayWorker worker = new SlipwayWorker(pod.name());
        CompletableFuture<SlipwayWorker> pending = pod.requestId() == null ? null : pendingRequests.remove(pod.requestId());
        if (pending != null && pending.complete(worker)) {
            log.info("The platform serves request {} with pod {}", pod.requestId(), pod.name());
        } else if (pending != null || (pod.requestId() != null && cancelledRequests.remove(pod.requestId()))) {
            // Cancelled by Flink, possibly while this pod's change already waited for the main thread.
            knownWorkers.remove(pod.name());
            releasedWorkers.add(pod.name());
            log.info("Pod {} serves request {}, which Flink no longer needs; releasing it", pod.name(), pod.requestId());
            release(new Release(pod.name(), "request " + pod.requestId() + " was cancelled by Flink"));
        } else {
            log.info("Pod {} was made by the platform on its own (warm pool or an earlier JobManager); recovering it", pod.name());
            getResourceEventHandler().onPreviousAttemptWorkersRecovered(List.of(worker));
        }
    }

    private void onTerminating(PlatformPod pod) {
        unregisteredWarmWorkers.remove(pod.name());
        if (knownWorkers.remove(pod.name())) {
            getResourceEventHandler().onWorkerTerminated(new SlipwayWorker(pod.name()).getResourceID(),
                    "the platform removed pod " + pod.name() + " (its decisions say why)");
        }
    }

    /**
     * A recovered warm pod that has not registered yet serves the request as it is: Flink asks for its
     * minimum (the warm pool) the moment it starts, before the warm TaskManagers can register, and
     * would otherwise get a second pool. Such a worker is counted once: Flink's request takes it over.
     * Only pods of the first listing and only within {@link #WARM_HAND_OUT_WINDOW} of it: a pod that may have
     * registered is never handed out, since a registered worker given to a request would be stopped
     * as "not registered in time" (after resourcemanager.taskmanager-registration.timeout).
     */
    @Override
    public CompletableFuture<SlipwayWorker> requestResource(TaskExecutorProcessSpec spec) {
        if (!unregisteredWarmWorkers.isEmpty() && nanoTime.getAsLong() - warmHandOutEndsNanos < 0) {
            String warm = unregisteredWarmWorkers.iterator().next();
            unregisteredWarmWorkers.remove(warm);
            log.info("Serving Flink's request with warm pod {}, which has not registered yet", warm);
            return CompletableFuture.completedFuture(new SlipwayWorker(warm));
        }
        ResourceRequest request = new ResourceRequest(attempt + "-" + requestCounter++, 1, sizeOf(spec));
        String requestId = request.requestId();
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
        log.info("Requesting a TaskManager ({}) from the platform as {}", request.taskManager(), requestId);
        calls.untilAnswered(() -> platform.requestTaskManagers(request), "request " + requestId)
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

    /** A request and the TaskManager's registration must describe the same worker: its cores and total process memory. */
    private static ResourceRequest.TaskManagerSize sizeOf(TaskExecutorProcessSpec spec) {
        return new ResourceRequest.TaskManagerSize(spec.getCpuCores().getValue().doubleValue(),
                spec.getTotalProcessMemorySize().getMebiBytes(), 0);
    }

    @Override
    public void releaseResource(SlipwayWorker worker) {
        knownWorkers.remove(worker.podName());
        unregisteredWarmWorkers.remove(worker.podName());
        releasedWorkers.add(worker.podName());
        release(new Release(worker.podName(), RELEASED_BY_FLINK));
    }

    private void release(Release release) {
        calls.untilAnswered(() -> platform.release(release), "release of " + release.podName());
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
