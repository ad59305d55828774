package dev.slipway.flink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A scheduler the test plays: it holds the cluster's pods (what a listing answers), records every call the driver makes,
 * fails the next calls as scripted, and pushes pod changes into the open stream. Answers come at once, on the calling
 * thread; the driver hands each back to its main thread, which the test runs.
 */
final class TestingSchedulerApi implements SchedulerApi {

    private final Map<String, PlatformPod> pods = new LinkedHashMap<>();
    private final List<ResourceRequest> requests = new ArrayList<>();
    private final List<Release> releases = new ArrayList<>();
    private final Deque<Throwable> requestFailures = new ArrayDeque<>();
    private final Deque<Throwable> releaseFailures = new ArrayDeque<>();
    private final Deque<Throwable> listingFailures = new ArrayDeque<>();
    private Consumer<PlatformPod> follower;
    private CompletableFuture<Void> stream;
    private int follows;
    private int listings;
    private boolean closed;

    /** A client of the same platform, as a new JobManager makes one: the pods are the platform's, nothing else is shared. */
    TestingSchedulerApi sameClusterFromANewJobManager() {
        TestingSchedulerApi next = new TestingSchedulerApi();
        next.pods.putAll(pods);
        return next;
    }

    /** The platform's pods change; the open stream, if any, tells the driver. */
    TestingSchedulerApi change(PlatformPod... changed) {
        for (PlatformPod pod : changed) {
            pods.put(pod.name(), pod);
            if (follower != null) {
                follower.accept(pod);
            }
        }
        return this;
    }

    /** The platform's pods change but the stream misses it (it broke, or was not live yet): only a listing shows it. */
    TestingSchedulerApi changeUnstreamed(PlatformPod... changed) {
        for (PlatformPod pod : changed) {
            pods.put(pod.name(), pod);
        }
        return this;
    }

    void failNextRequests(Throwable... failures) {
        requestFailures.addAll(Arrays.asList(failures));
    }

    void failNextReleases(Throwable... failures) {
        releaseFailures.addAll(Arrays.asList(failures));
    }

    void failNextListings(Throwable... failures) {
        listingFailures.addAll(Arrays.asList(failures));
    }

    void breakStream(Throwable failure) {
        follower = null;
        stream.completeExceptionally(failure);
    }

    void endStream() {
        follower = null;
        stream.complete(null);
    }

    boolean following() {
        return follower != null;
    }

    /** Every request sent, retries included. */
    List<ResourceRequest> requests() {
        return List.copyOf(requests);
    }

    List<Release> releases() {
        return List.copyOf(releases);
    }

    int follows() {
        return follows;
    }

    int listings() {
        return listings;
    }

    @Override
    public CompletableFuture<Void> requestTaskManagers(ResourceRequest request) {
        requests.add(request);
        return answer(requestFailures, null);
    }

    @Override
    public CompletableFuture<Void> release(Release release) {
        releases.add(release);
        return answer(releaseFailures, null);
    }

    @Override
    public CompletableFuture<List<PlatformPod>> pods() {
        listings++;
        return answer(listingFailures, List.copyOf(pods.values()));
    }

    @Override
    public CompletableFuture<Void> followPods(Consumer<PlatformPod> onPod) {
        follows++;
        follower = onPod;
        stream = new CompletableFuture<>();
        return stream;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean closed() {
        return closed;
    }

    private static <T> CompletableFuture<T> answer(Deque<Throwable> failures, T value) {
        Throwable failure = failures.poll();
        return failure == null ? CompletableFuture.completedFuture(value) : CompletableFuture.failedFuture(failure);
    }
}
