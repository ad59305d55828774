package dev.slipway.submission.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.FailurePolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import java.util.Map;

/**
 * A cluster as users write it (POST body, and the document a PATCH merges into). Every field may be
 * missing; {@link ClusterValidator} says which must be there and fills in the defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterRequest(
        String name,
        ClusterMode mode,
        String flinkVersion,
        Size jobManager,
        Integer jobManagerReplicas,
        Size taskManager,
        Integer slotsPerTaskManager,
        Integer staticTaskManagers,
        Elastic elastic,
        Failures failures,
        NetworkProfile network,
        Map<String, String> flinkConfiguration,
        Boolean highAvailability) {

    /** A request that leaves high availability as it is (on, for a new cluster). */
    public ClusterRequest(String name, ClusterMode mode, String flinkVersion, Size jobManager, Integer jobManagerReplicas,
            Size taskManager, Integer slotsPerTaskManager, Integer staticTaskManagers, Elastic elastic, Failures failures,
            NetworkProfile network, Map<String, String> flinkConfiguration) {
        this(name, mode, flinkVersion, jobManager, jobManagerReplicas, taskManager, slotsPerTaskManager, staticTaskManagers, elastic,
                failures, network, flinkConfiguration, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Size(Double cpu, Integer memoryMb, Integer diskMb) {

        static Size of(ProcessSize size) {
            return new Size(size.cpu(), size.memoryMb(), size.diskMb());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Elastic(Integer warmPool, Integer maxTaskManagers, Long idleTimeoutSeconds) {

        static Elastic of(ElasticPolicy policy) {
            return policy == null ? null : new Elastic(policy.warmPool(), policy.maxTaskManagers(), policy.idleTimeoutSeconds());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failures(Long startTimeoutSeconds, Integer crashLoopThreshold, Long initialBackoffSeconds,
            Long maxBackoffSeconds) {

        static Failures of(FailurePolicy policy) {
            return new Failures(policy.startTimeoutSeconds(), (int) policy.crashLoopThreshold(), policy.initialBackoffSeconds(),
                    policy.maxBackoffSeconds());
        }
    }

    /** The request that yields {@code spec} again: what a PATCH is merged into. */
    public static ClusterRequest of(ClusterSpec spec) {
        return new ClusterRequest(spec.name(), spec.mode(), spec.flinkVersion(), Size.of(spec.jobManager()),
                spec.jobManagerReplicas(), Size.of(spec.taskManager()), spec.slotsPerTaskManager(),
                spec.mode() == ClusterMode.STATIC ? spec.staticTaskManagers() : null, Elastic.of(spec.elastic()),
                Failures.of(spec.failures()), spec.network(), spec.flinkConfiguration(), spec.highAvailability());
    }
}
