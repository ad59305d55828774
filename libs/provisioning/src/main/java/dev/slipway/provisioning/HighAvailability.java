package dev.slipway.provisioning;

import dev.slipway.contracts.cluster.NetworkProfile;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the platform gives a cluster's JobManagers Flink's high availability: leader election and the job graph and
 * checkpoint store in ZooKeeper (the seed's choice) or in Kubernetes ConfigMaps, with their files under
 * {@code <storageDir>/<cluster id>}. A replaced or standby JobManager recovers the running jobs from there, with the same
 * Flink job ids and from their latest completed checkpoint; TaskManagers find the leader through it, so those that survived
 * re-register with the new one.
 *
 * @param type             where leaders are elected and job metadata kept
 * @param zookeeperQuorum  ZooKeeper's {@code host:port[,host:port]} as Flink pods reach it (ZOOKEEPER only)
 * @param storageDir       a file system URI all JobManagers of a cluster share ({@code file:///...} on one machine, {@code s3://...})
 * @param kubernetesNamespace the namespace of the pods' ConfigMaps (KUBERNETES only; null: the pod's own)
 */
public record HighAvailability(Type type, String zookeeperQuorum, String storageDir, String kubernetesNamespace) {

    public enum Type {
        ZOOKEEPER,
        KUBERNETES
    }

    /** Flink's keys (1.20 and 2.x read the same ones). */
    public static final String TYPE = "high-availability.type";
    public static final String LEGACY_TYPE = "high-availability";
    public static final String CLUSTER_ID = "high-availability.cluster-id";
    public static final String STORAGE_DIR = "high-availability.storageDir";
    public static final String ZOOKEEPER_QUORUM = "high-availability.zookeeper.quorum";
    public static final String ZOOKEEPER_ROOT = "high-availability.zookeeper.path.root";
    public static final String SESSION_TIMEOUT = "high-availability.zookeeper.client.session-timeout";
    public static final String CONNECTION_TIMEOUT = "high-availability.zookeeper.client.connection-timeout";
    public static final String SASL_DISABLE = "zookeeper.sasl.disable";
    public static final String KUBERNETES_CLUSTER_ID = "kubernetes.cluster-id";
    public static final String KUBERNETES_NAMESPACE = "kubernetes.namespace";
    /** Every high-availability key, and the prefix of the rest: the platform's alone. */
    public static final String KEY_PREFIX = "high-availability";

    /** The ZooKeeper root of every Slipway cluster ({@code <root>/<cluster id>} is one cluster's). */
    public static final String ZOOKEEPER_ROOT_PATH = "/slipway";

    /**
     * How long ZooKeeper keeps a dead leader's session, the floor of every JobManager fail-over. The container network
     * stalls longer under checkpoint traffic (JD saw checkpoints take twice as long there), so it gets more slack before a
     * pause is taken for a death; on the host network a shorter session still spans a full GC pause several times.
     */
    static final Duration POD_NETWORK_SESSION_TIMEOUT = Duration.ofSeconds(8);
    static final Duration HOST_NETWORK_SESSION_TIMEOUT = Duration.ofSeconds(6);
    static final Duration CONNECTION_TIMEOUT_VALUE = Duration.ofSeconds(15);

    public HighAvailability {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(storageDir, "storageDir");
        if (type == Type.ZOOKEEPER && (zookeeperQuorum == null || zookeeperQuorum.isBlank())) {
            throw new IllegalArgumentException("ZooKeeper high availability needs the quorum's addresses");
        }
        storageDir = storageDir.replaceAll("/+$", "");
    }

    public static HighAvailability zooKeeper(String quorum, String storageDir) {
        return new HighAvailability(Type.ZOOKEEPER, quorum, storageDir, null);
    }

    public static HighAvailability kubernetes(String storageDir, String namespace) {
        return new HighAvailability(Type.KUBERNETES, null, storageDir, namespace);
    }

    /** Whether a key belongs to the platform's high availability (a user's configuration never sets it). */
    public static boolean platformKey(String key) {
        return key.equals(LEGACY_TYPE) || key.startsWith(KEY_PREFIX + ".") || key.equals(KUBERNETES_CLUSTER_ID);
    }

    /** ZooKeeper's session timeout, and so how soon a dead leader is replaced, on this network profile. */
    public static Duration sessionTimeout(NetworkProfile network) {
        return network == NetworkProfile.HOST_NETWORK ? HOST_NETWORK_SESSION_TIMEOUT : POD_NETWORK_SESSION_TIMEOUT;
    }

    /** The Flink configuration of one of the cluster's pods. */
    public Map<String, String> configuration(String clusterId, NetworkProfile network) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put(CLUSTER_ID, clusterId);
        conf.put(STORAGE_DIR, storageDir);
        if (type == Type.ZOOKEEPER) {
            conf.put(TYPE, "zookeeper");
            conf.put(ZOOKEEPER_QUORUM, zookeeperQuorum);
            conf.put(ZOOKEEPER_ROOT, ZOOKEEPER_ROOT_PATH);
            // Plain milliseconds: 1.20 reads an int, 2.x a duration (a bare number is milliseconds there).
            conf.put(SESSION_TIMEOUT, Long.toString(sessionTimeout(network).toMillis()));
            conf.put(CONNECTION_TIMEOUT, Long.toString(CONNECTION_TIMEOUT_VALUE.toMillis()));
            // The platform's ensemble takes no SASL: without this Flink's client looks for a JAAS section and logs its absence.
            conf.put(SASL_DISABLE, "true");
        } else {
            conf.put(TYPE, "kubernetes");
            // The ConfigMaps of leader election and job metadata are named after it.
            conf.put(KUBERNETES_CLUSTER_ID, clusterId);
            if (kubernetesNamespace != null) {
                conf.put(KUBERNETES_NAMESPACE, kubernetesNamespace);
            }
        }
        return conf;
    }
}
