package dev.slipway.provisioner.messaging;

import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodFact;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The traceparent of each pod's creation or deletion, kept until the pod is ready or gone: its facts are
 * observed later, on watcher threads, where the decision's trace is no longer current.
 */
@ApplicationScoped
public class PodTraces {

    /** A safety bound: pods that never report back must not grow this forever. */
    private static final int MAX = 10_000;

    private final Map<String, String> byPod = new ConcurrentHashMap<>();

    public void remember(String clusterId, String podName, String traceparent) {
        if (traceparent == null) {
            return;
        }
        if (byPod.size() >= MAX) {
            byPod.clear();
        }
        byPod.put(key(clusterId, podName), traceparent);
    }

    /** The trace a fact continues, or null; the pod's last fact of its start (ready, failed, deleted) forgets it. */
    public String of(PodFact fact) {
        String key = key(fact.clusterId(), fact.podName());
        return fact instanceof PodCreated ? byPod.get(key) : byPod.remove(key);
    }

    private static String key(String clusterId, String podName) {
        return clusterId + '/' + podName;
    }
}
