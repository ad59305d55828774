package dev.slipway.flink;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The resource-scheduler as the resource manager's driver uses it: every call answers asynchronously, so Flink's main
 * thread never waits on the network. A failure that is a {@link PlatformException} not {@linkplain
 * PlatformException#retryable() retryable} will not heal by trying again; any other failure may.
 */
public interface SchedulerApi extends AutoCloseable {

    /** Completes once the platform accepted the request; the pod serving it shows up in {@link #followPods}. */
    CompletableFuture<Void> requestTaskManagers(ResourceRequest request);

    /** Completes once the platform accepted the release. */
    CompletableFuture<Void> release(Release release);

    /** The cluster's pods as the platform knows them now. */
    CompletableFuture<List<PlatformPod>> pods();

    /**
     * Hands every change of one of the cluster's pods to {@code onPod} until the stream ends or breaks; the returned future
     * completes then, so the caller can resynchronize and follow again.
     */
    CompletableFuture<Void> followPods(Consumer<PlatformPod> onPod);

    /** Stops following pods; calls under way finish on their own. */
    @Override
    void close();

    boolean closed();
}
