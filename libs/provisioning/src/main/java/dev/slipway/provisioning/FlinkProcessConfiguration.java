package dev.slipway.provisioning;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodRole;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Flink configuration of one pod, the same on every backend: the user's keys underneath, then
 * what the platform must control (identity, addresses, sizes, the resource manager's access, the
 * metric reporter's destination), which a user's key never overrides.
 */
public final class FlinkProcessConfiguration {

    /** Main class of an ELASTIC cluster's JobManager: Flink's session entrypoint with the platform's resource manager. */
    public static final String ELASTIC_ENTRYPOINT = "dev.slipway.flink.SlipwaySessionClusterEntrypoint";
    public static final String STATIC_ENTRYPOINT = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    public static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    public static final String CONFIG_FILE = "config.yaml";
    public static final String CLUSTER_ID = "slipway.cluster.id";
    public static final String SCHEDULER_URL = "slipway.scheduler.url";
    public static final String CLUSTER_TOKEN = "slipway.cluster.token";
    /** Where a backend that can renew the token while the JobManager runs keeps it instead (read by the resource manager). */
    public static final String CLUSTER_TOKEN_FILE = "slipway.cluster.token-file";

    /** Raised with the host network profile: JD saw the defaults time out under checkpoint traffic. */
    static final String HOST_NETWORK_ASK_TIMEOUT = "60 s";
    static final String HOST_NETWORK_REQUEST_BACKOFF_MAX_MS = "60000";

    /** Keys the platform sets on every pod; job-submission refuses them in a user's configuration. */
    public static final Set<String> PLATFORM_KEYS = Set.copyOf(new TreeSet<>(Set.of(
            "taskmanager.resource-id",
            "jobmanager.rpc.address",
            "jobmanager.rpc.port",
            "rest.port",
            "rest.address",
            "taskmanager.numberOfTaskSlots",
            "jobmanager.memory.process.size",
            "taskmanager.memory.process.size",
            "taskmanager.cpu.cores",
            "taskmanager.load-balance.mode",
            "cluster.evenly-spread-out-slots",
            "resourcemanager.taskmanager-timeout",
            "slotmanager.number-of-slots.min",
            "slotmanager.number-of-slots.max",
            CLUSTER_ID,
            SCHEDULER_URL,
            CLUSTER_TOKEN,
            CLUSTER_TOKEN_FILE,
            MetricsShipping.FACTORY_CLASS,
            MetricsShipping.BOOTSTRAP_SERVERS,
            MetricsShipping.CLUSTER_ID,
            MetricsShipping.POD)));

    private FlinkProcessConfiguration() {
    }

    /** Whether the platform sets this key on every pod, so a user's configuration (cluster or job) never may. */
    public static boolean platformOwned(String key) {
        return PLATFORM_KEYS.contains(key) || key.startsWith("slipway.") || HighAvailability.platformKey(key)
                || ObjectStorage.CREDENTIAL_KEYS.contains(key);
    }

    public static String mainClass(ProvisionPod pod) {
        if (pod.role() == PodRole.TASK_MANAGER) {
            return TASK_MANAGER_MAIN;
        }
        return pod.spec().mode() == ClusterMode.ELASTIC ? ELASTIC_ENTRYPOINT : STATIC_ENTRYPOINT;
    }

    public static Map<String, String> of(ProvisionPod pod, JobManagerAddress jobManager, PlatformAccess platform) {
        ClusterSpec spec = pod.spec();
        Map<String, String> conf = new LinkedHashMap<>();
        // Defaults a user may change: a small TaskManager keeps a usable task heap.
        conf.put("taskmanager.memory.managed.fraction", "0.1");
        conf.put("execution.checkpointing.interval", "10 s");
        if (spec.network() == NetworkProfile.HOST_NETWORK) {
            conf.put("pekko.ask.timeout", HOST_NETWORK_ASK_TIMEOUT);
            conf.put("taskmanager.network.request-backoff.max", HOST_NETWORK_REQUEST_BACKOFF_MAX_MS);
        }
        MetricsShipping metrics = platform.metrics();
        if (metrics != null) {
            conf.putAll(metrics.defaults());
        }
        for (Map.Entry<String, String> user : spec.flinkConfiguration().entrySet()) {
            if (!platformOwned(user.getKey())) {
                conf.put(user.getKey(), user.getValue());
            }
        }
        conf.put("jobmanager.rpc.address", jobManager.host());
        conf.put("jobmanager.rpc.port", Integer.toString(jobManager.rpcPort()));
        conf.put("rest.address", jobManager.host());
        conf.put("rest.port", Integer.toString(jobManager.restPort()));
        conf.put("taskmanager.numberOfTaskSlots", Integer.toString(spec.slotsPerTaskManager()));
        conf.put("jobmanager.memory.process.size", spec.jobManager().memoryMb() + "m");
        conf.put("taskmanager.memory.process.size", spec.taskManager().memoryMb() + "m");
        // The resource manager's request and the TaskManager's registration must describe the same worker.
        conf.put("taskmanager.cpu.cores", Double.toString(spec.taskManager().cpu()));
        // 1.20 and 2.x both read it (1.20 knows NONE and SLOTS; 2.x removed cluster.evenly-spread-out-slots).
        conf.put("taskmanager.load-balance.mode", "SLOTS");
        if (pod.role() == PodRole.TASK_MANAGER) {
            // The registration of a TaskManager must match the pod the platform reported to Flink.
            conf.put("taskmanager.resource-id", pod.podName());
        } else if (spec.mode() == ClusterMode.ELASTIC) {
            conf.put("resourcemanager.taskmanager-timeout", spec.elastic().idleTimeoutSeconds() * 1000 + " ms");
            // The warm pool is Flink's floor too, so Flink keeps the warm TaskManagers instead of releasing them
            // when idle; and it waits for the ones it recovers to register before it asks for more.
            conf.put("slotmanager.number-of-slots.min", Integer.toString(spec.elastic().warmPool() * spec.slotsPerTaskManager()));
            conf.put("slotmanager.number-of-slots.max", Integer.toString(spec.taskManagerLimit() * spec.slotsPerTaskManager()));
            conf.put("resourcemanager.previous-worker.recovery.timeout", "60 s");
            conf.put(CLUSTER_ID, pod.clusterId());
            conf.put(SCHEDULER_URL, platform.schedulerUrl());
            conf.put(CLUSTER_TOKEN, platform.clusterToken());
        }
        HighAvailability highAvailability = platform.highAvailability();
        if (highAvailability != null && spec.highAvailability()) {
            // JobManagers and TaskManagers alike: TaskManagers find the leading JobManager through it.
            conf.putAll(highAvailability.configuration(pod.clusterId(), spec.network()));
        }
        if (metrics != null) {
            // Every JobManager and TaskManager ships its metrics, whatever reporters the user adds.
            conf.putAll(metrics.reporter(pod.clusterId(), pod.podName()));
            String reporters = MetricsShipping.withPlatformReporter(conf.get(MetricsShipping.REPORTERS));
            if (reporters != null) {
                conf.put(MetricsShipping.REPORTERS, reporters);
            }
        }
        return conf;
    }

    /** The configuration as Flink's {@code config.yaml} (standard YAML, read by 1.19+ and 2.x): flat keys, quoted values. */
    public static String toYaml(Map<String, String> conf) {
        StringBuilder yaml = new StringBuilder();
        conf.forEach((key, value) -> yaml.append(key).append(": ").append(quote(value)).append('\n'));
        return yaml.toString();
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
