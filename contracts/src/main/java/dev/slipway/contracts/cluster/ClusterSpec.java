package dev.slipway.contracts.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a user asked for when creating a session cluster. Validation of user input (field by field,
 * with problem+json) belongs to job-submission; this record only refuses what no consumer could use.
 */
public record ClusterSpec(
        @JsonPropertyDescription("Human-readable cluster name") String name,
        @JsonPropertyDescription("Owning tenant") String tenant,
        ClusterMode mode,
        @JsonPropertyDescription("Flink version, e.g. 2.2.0 or 1.20.3") String flinkVersion,
        ProcessSize jobManager,
        @JsonPropertyDescription("JobManager replicas (more than one needs high availability)") int jobManagerReplicas,
        ProcessSize taskManager,
        @JsonPropertyDescription("Task slots per TaskManager") int slotsPerTaskManager,
        @JsonPropertyDescription("STATIC mode: the fixed TaskManager count") int staticTaskManagers,
        @JsonPropertyDescription("ELASTIC mode: warm pool, maximum and idle timeout") ElasticPolicy elastic,
        @JsonPropertyDescription("TaskManagers this cluster may hold under its tenant's quota; 0 means no quota") int tenantQuotaTaskManagers,
        FailurePolicy failures,
        NetworkProfile network,
        @JsonPropertyDescription("Flink configuration overrides (keys the platform controls are refused upstream)") Map<String, String> flinkConfiguration,
        @JsonPropertyDescription("Whether the JobManagers run with Flink's high availability (the platform's ZooKeeper or Kubernetes"
                + " leader election, state under the cluster's HA storage); missing means true") Boolean highAvailability) {

    public static final String DEFAULT_FLINK_VERSION = "2.2.0";

    public ClusterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(jobManager, "jobManager");
        Objects.requireNonNull(taskManager, "taskManager");
        if (flinkVersion == null || flinkVersion.isBlank()) {
            flinkVersion = DEFAULT_FLINK_VERSION;
        }
        if (jobManagerReplicas <= 0) {
            jobManagerReplicas = 1;
        }
        if (slotsPerTaskManager <= 0) {
            slotsPerTaskManager = 1;
        }
        if (staticTaskManagers < 0) {
            throw new IllegalArgumentException("staticTaskManagers must not be negative, was " + staticTaskManagers);
        }
        if (mode == ClusterMode.ELASTIC && elastic == null) {
            throw new IllegalArgumentException("an ELASTIC cluster needs its elastic policy");
        }
        if (tenantQuotaTaskManagers < 0) {
            throw new IllegalArgumentException("tenantQuotaTaskManagers must not be negative, was " + tenantQuotaTaskManagers);
        }
        if (failures == null) {
            failures = FailurePolicy.DEFAULT;
        }
        if (network == null) {
            network = NetworkProfile.POD_NETWORK;
        }
        // Sorted, so the same spec always serializes (and hashes into decision ids) the same way.
        flinkConfiguration = flinkConfiguration == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(flinkConfiguration));
        if (highAvailability == null) {
            highAvailability = Boolean.TRUE; // on unless the spec turns it off (specs written before the field had none)
        }
    }

    /** A spec with high availability on, the default. */
    public ClusterSpec(String name, String tenant, ClusterMode mode, String flinkVersion, ProcessSize jobManager, int jobManagerReplicas,
            ProcessSize taskManager, int slotsPerTaskManager, int staticTaskManagers, ElasticPolicy elastic, int tenantQuotaTaskManagers,
            FailurePolicy failures, NetworkProfile network, Map<String, String> flinkConfiguration) {
        this(name, tenant, mode, flinkVersion, jobManager, jobManagerReplicas, taskManager, slotsPerTaskManager, staticTaskManagers,
                elastic, tenantQuotaTaskManagers, failures, network, flinkConfiguration, Boolean.TRUE);
    }

    /** This spec with high availability on or off. */
    public ClusterSpec withHighAvailability(boolean enabled) {
        return new ClusterSpec(name, tenant, mode, flinkVersion, jobManager, jobManagerReplicas, taskManager, slotsPerTaskManager,
                staticTaskManagers, elastic, tenantQuotaTaskManagers, failures, network, flinkConfiguration, enabled);
    }

    /** The most TaskManagers this cluster may have at once: the mode's own bound and the tenant quota. */
    @JsonIgnore
    public int taskManagerLimit() {
        int own = mode == ClusterMode.STATIC ? staticTaskManagers : elastic.maxTaskManagers();
        return tenantQuotaTaskManagers > 0 ? Math.min(own, tenantQuotaTaskManagers) : own;
    }
}
