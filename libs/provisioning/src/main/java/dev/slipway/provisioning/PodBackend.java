package dev.slipway.provisioning;

import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;

/**
 * Where pods really run: Kubernetes, or local processes. A backend never throws at its caller for
 * what happens to a pod: a pod that cannot be created becomes a {@code PodFailed} fact with the
 * reason, so the scheduler decides what to do next.
 */
public interface PodBackend extends AutoCloseable {

    /**
     * Starts observing. Every pod of the platform found now is reported first (so a restart loses
     * nothing and leaves no orphan), then every later transition, in order per pod.
     */
    void start(PodFactSink sink);

    /** Creates the decision's pod. A pod of that name that exists already is left alone. */
    void provision(ProvisionPod decision);

    /** Deletes the pod; a pod that is gone already is a no-op. */
    void delete(DeletePod decision);

    /**
     * The cluster's tokens were revoked: a running JobManager of it gets its new resource-manager token where the backend can
     * hand it over while it runs (the local backend rewrites the token file its resource manager reads for every call). A
     * backend that cannot leaves it to the JobManager's next start.
     */
    default void tokensRevoked(String clusterId) {
    }

    /** Stops observing. What happens to running pods is the backend's own rule (documented there). */
    @Override
    void close();
}
