package dev.slipway.contracts.decisions;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the provisioner needs to spread one cluster's TaskManagers across nodes: the group to spread,
 * the topology key and skew for a topology spread constraint, and where the cluster's pods run now.
 */
public record Placement(
        @JsonPropertyDescription("Label selector value of the group to spread (the cluster id)") String spreadGroup,
        @JsonPropertyDescription("Topology key, e.g. kubernetes.io/hostname") String topologyKey,
        @JsonPropertyDescription("Largest allowed difference of pod counts between two nodes") int maxSkew,
        @JsonPropertyDescription("Ready TaskManagers of the cluster per node when the decision was made") Map<String, Integer> taskManagersPerNode) {

    public static final String HOSTNAME_TOPOLOGY_KEY = "kubernetes.io/hostname";

    public Placement {
        if (topologyKey == null || topologyKey.isBlank()) {
            topologyKey = HOSTNAME_TOPOLOGY_KEY;
        }
        if (maxSkew < 1) {
            maxSkew = 1;
        }
        taskManagersPerNode = taskManagersPerNode == null
                ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(taskManagersPerNode));
    }
}
