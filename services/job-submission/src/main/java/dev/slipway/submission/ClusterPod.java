package dev.slipway.submission;

import dev.slipway.contracts.resources.PodRole;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A pod of a cluster as the pod facts report it. */
@Entity
@Table(name = "cluster_pods")
public class ClusterPod {

    public enum Phase {
        CREATED,
        READY,
        /** Failed or deleted: final, a late fact never revives it. */
        GONE
    }

    /** {@code <cluster>/<pod>}. */
    @Id
    public String id;

    @Column(name = "cluster_id", nullable = false)
    public String clusterId;

    @Column(name = "pod_name", nullable = false)
    public String podName;

    @Enumerated(EnumType.STRING)
    public PodRole role;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Phase phase;

    public String address;

    @Column(name = "node_name")
    public String nodeName;

    @Column(columnDefinition = "text")
    public String reason;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static String idOf(String clusterId, String podName) {
        return clusterId + "/" + podName;
    }
}
