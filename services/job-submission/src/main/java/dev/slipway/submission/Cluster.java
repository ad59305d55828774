package dev.slipway.submission;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.json.EventJson;
import dev.slipway.submission.cluster.ClusterStatus;
import dev.slipway.submission.cluster.Lifecycle;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A tenant's session cluster: its current spec (as published) and its status (from pod facts). */
@Entity
@Table(name = "clusters")
public class Cluster {

    @Id
    public String id;

    @Column(nullable = false)
    public String tenant;

    @Column(nullable = false)
    public String name;

    /** Of the last spec event published: 1 on create, +1 per change and for the deletion. */
    public long generation;

    /** The generation of the cluster's tokens: 0 until they are first revoked, +1 per revocation. */
    @Column(name = "token_generation", nullable = false)
    public long tokenGeneration;

    /** The contract's ClusterSpec as JSON, exactly as published. */
    @Column(nullable = false, columnDefinition = "text")
    public String spec;

    /** What the cluster takes from its tenant's TaskManager quota. */
    @Column(name = "max_task_managers")
    public int maxTaskManagers;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Lifecycle lifecycle;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ClusterStatus status;

    @Column(name = "status_reason", columnDefinition = "text")
    public String statusReason;

    @Column(name = "scheduler_degraded")
    public boolean schedulerDegraded;

    @Column(name = "scheduler_reason", columnDefinition = "text")
    public String schedulerReason;

    /** A JobManager has been ready once: losing it now is a degradation, not provisioning. */
    @Column(name = "ever_running")
    public boolean everRunning;

    @Column(name = "job_manager_failure", columnDefinition = "text")
    public String jobManagerFailure;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Whether the cluster's JobManagers run with high availability (the spec's, on unless it says otherwise). */
    public boolean highAvailability() {
        ClusterSpec read = readSpec();
        return read != null && read.highAvailability(); // a spec that does not read says nothing of HA: do not count on it
    }

    /** The Flink version the cluster runs (its spec's, or the default). */
    public String flinkVersion() {
        ClusterSpec read = readSpec();
        return read == null || read.flinkVersion() == null ? ClusterSpec.DEFAULT_FLINK_VERSION : read.flinkVersion();
    }

    private ClusterSpec readSpec() {
        try {
            return EventJson.mapper().readValue(spec, ClusterSpec.class);
        } catch (JsonProcessingException | RuntimeException unreadable) {
            return null;
        }
    }
}
