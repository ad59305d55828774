package dev.slipway.scheduling;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.resources.ResourceEvent;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decider for many clusters: routes each event to its cluster's state. Not thread-safe; a host
 * gives each instance to one thread (the resource-scheduler does so per Kafka partition).
 */
public final class Scheduler {

    private final Policy policy;
    private final Map<String, ClusterState> clusters = new HashMap<>();

    public Scheduler(Policy policy) {
        this.policy = policy;
    }

    public Scheduler() {
        this(Policy.RECORDED);
    }

    public List<Decision> handle(ResourceEvent event) {
        ClusterState state = clusters.computeIfAbsent(event.clusterId(), ClusterState::new);
        return Decider.handle(state, event, policy);
    }

    public Optional<ClusterState> cluster(String clusterId) {
        return Optional.ofNullable(clusters.get(clusterId));
    }

    public Collection<ClusterState> clusters() {
        return clusters.values();
    }

    /** Puts a restored cluster in place of whatever this scheduler knew of it. */
    public void restore(ClusterSnapshot snapshot) {
        clusters.put(snapshot.clusterId(), snapshot.restore());
    }

    public Policy policy() {
        return policy;
    }
}
