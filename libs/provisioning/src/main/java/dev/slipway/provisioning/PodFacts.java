package dev.slipway.provisioning;

import dev.slipway.contracts.Events;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import java.time.Instant;

/**
 * Pod facts with deterministic ids: a pod is created, ready, failed and deleted at most once each, so
 * the same observation reported twice (after a restart, by two watchers) is the same event.
 */
public final class PodFacts {

    private PodFacts() {
    }

    public static PodCreated created(String clusterId, String podName, PodRole role, String requestId, String nodeName,
            Instant at) {
        return new PodCreated(id(clusterId, "pod-created", podName), clusterId, at, podName, role, requestId, nodeName);
    }

    public static PodReady ready(String clusterId, String podName, PodRole role, String nodeName, String address, Instant at) {
        return new PodReady(id(clusterId, "pod-ready", podName), clusterId, at, podName, role, nodeName, address);
    }

    public static PodFailed failed(String clusterId, String podName, String reason, Integer exitCode, String message,
            Instant at) {
        return new PodFailed(id(clusterId, "pod-failed", podName), clusterId, at, podName, reason, exitCode, message);
    }

    public static PodDeleted deleted(String clusterId, String podName, Instant at) {
        return new PodDeleted(id(clusterId, "pod-deleted", podName), clusterId, at, podName);
    }

    private static String id(String clusterId, String kind, String podName) {
        return Events.deterministicId(clusterId, kind, podName);
    }
}
