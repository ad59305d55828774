package dev.slipway.contracts.decisions;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.Events;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.resources.PodRole;
import java.time.Instant;
import java.util.Objects;

/**
 * Create this pod. The name is deterministic, so applying the decision twice creates one pod. The
 * spec travels with the decision so the provisioner needs no state of its own to build the pod.
 */
public record ProvisionPod(
        String eventId,
        String clusterId,
        Instant occurredAt,
        String causeEventId,
        String reason,
        String podName,
        PodRole role,
        @JsonPropertyDescription("The request this pod serves; null for warm-pool, static and JobManager pods") String requestId,
        ProcessSize resources,
        @JsonPropertyDescription("The cluster spec generation the pod is built from") long generation,
        ClusterSpec spec,
        Placement placement)
        implements Decision {

    public ProvisionPod {
        Events.requireDecision(eventId, clusterId, occurredAt, causeEventId, reason);
        Objects.requireNonNull(podName, "podName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(spec, "spec");
        if (placement == null) {
            placement = new Placement(clusterId, null, 1, null);
        }
    }
}
