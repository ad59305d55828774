package dev.slipway.provisioner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configuration of the pod-provisioner (keys documented in README.md). */
@ConfigMapping(prefix = "slipway.provisioner")
public interface ProvisionerConfig {

    /**
     * Where pods run: LOCAL (Flink processes on this machine) or KUBERNETES. SIMULATED runs no pod at all: pods go through
     * the states and facts of real ones on simulated nodes, a test and capacity-planning tool, never a default.
     */
    @WithDefault("LOCAL")
    Backend backend();

    /** Consumer group of the instances that share the clusters' decisions. */
    @WithDefault("slipway-pod-provisioner")
    String consumerGroup();

    @WithDefault("4")
    int topicPartitions();

    @WithDefault("1")
    short topicReplicationFactor();

    /** The resource-scheduler's URL as ELASTIC JobManagers reach it. */
    @WithDefault("http://127.0.0.1:8081")
    String schedulerUrl();

    /** Signs each cluster's credential for its JobManager; must equal the resource-scheduler's. */
    String clusterTokenSecret();

    /**
     * The platform operator's token: lists every cluster's local pods (a cluster's own token, or its reader token, reads
     * that cluster's). Unset: nobody reads across clusters.
     */
    Optional<String> operatorToken();

    Local local();

    Kubernetes kubernetes();

    Metrics metrics();

    HighAvailability highAvailability();

    ObjectStorage objectStorage();

    Simulated simulated();

    enum Backend {
        LOCAL,
        KUBERNETES,
        /** No processes: simulated pods for fleet tests and capacity planning (see {@link Simulated}). */
        SIMULATED
    }

    /**
     * The SIMULATED backend (as kwok for Kubernetes): pods cost a small file and no process, so a fleet of thousands of
     * clusters runs on one machine. Defaults: 1000 nodes of 64 pods (room for 64,000), ready after 5 s at the median and
     * 30 s at the 99th percentile, nothing fails.
     */
    interface Simulated {

        /** Each pod's state is {@code <root>/<cluster>/<pod>.json}; instances that share the root share the pods. */
        @WithDefault(".slipway/simulated-pods")
        String root();

        @WithDefault("1000")
        int nodes();

        /** Pods that fit on one node; a pod for which no node has room fails as Unschedulable. */
        @WithDefault("64")
        int podsPerNode();

        /** Median delay from a pod's creation to its readiness (log-normal, with the p99 below). */
        @WithDefault("5s")
        Duration readyDelayMedian();

        /** 99th percentile of the ready delay; equal to the median for a fixed delay. */
        @WithDefault("30s")
        Duration readyDelayP99();

        /** Share of pods (0 to 1) that fail instead of becoming ready, as ImagePullBackOff or CrashLoopBackOff. */
        @WithDefault("0")
        double startFailureProbability();

        /** OOM kills (OOMKilled, exit 137) per hour a ready pod runs. */
        @WithDefault("0")
        double oomKillsPerPodHour();

        /** Evictions (Evicted) per hour a ready pod runs. */
        @WithDefault("0")
        double evictionsPerPodHour();

        /** How long a deleted pod takes to be gone. */
        @WithDefault("0s")
        Duration terminationDelay();

        /** Seed of the one random generator: the same decisions in the same order draw the same lives. */
        @WithDefault("1")
        long seed();
    }

    interface Local {

        /** Pods live in {@code <root>/<cluster>/<pod>/}. */
        @WithDefault(".slipway/pods")
        String root();

        /** Directory holding {@code dist-<major.minor>/target/flink.classpath} of each Flink version. */
        @WithDefault("flink")
        String distributions();

        /** The java that runs Flink processes; default: this service's own. */
        Optional<String> java();

        @WithDefault("127.0.0.1")
        String host();

        /** How long a stopped Flink process may take before it is killed. */
        @WithDefault("10s")
        Duration stopGrace();

        /**
         * Whether Flink processes start from a class-data-sharing archive of their classpath (written by the first process of
         * each Flink build as it ends; about a second faster per JobManager and TaskManager).
         */
        @WithDefault("true")
        boolean classDataSharing();

        /** Where those archives are kept (about 50 MB per Flink version); default: {@code class-data} beside the root. */
        Optional<String> classDataDirectory();

        /**
         * JVM options added to every Flink process, after the platform's own. The default keeps the JIT to its first tier
         * (C1), which starts a JobManager or TaskManager about half a second sooner on half the CPU, at the cost of peak
         * record throughput: {@code -XX:TieredStopAtLevel=4} restores the JVM's default.
         */
        @WithDefault("-XX:TieredStopAtLevel=1")
        List<String> jvmOptions();
    }

    /** The metric reporter every Flink pod runs (flink/metrics-reporter): where it ships and how often. */
    interface Metrics {

        /** Whether pods run the platform's metric reporter at all. */
        @WithDefault("true")
        boolean enabled();

        /** Kafka bootstrap servers as Flink pods reach them; default: this service's {@code kafka.bootstrap.servers}. */
        Optional<String> bootstrapServers();

        /** How often each Flink process reports; a cluster's {@code metrics.reporter.slipway.interval} overrides it. */
        @WithDefault("10s")
        Duration interval();
    }

    /** Flink's high availability for every cluster whose spec leaves it on (the default). */
    interface HighAvailability {

        /** ZOOKEEPER (the default), KUBERNETES (ConfigMap leader election; the Kubernetes backend only) or NONE. */
        @WithDefault("ZOOKEEPER")
        Type type();

        /** ZooKeeper's {@code host:port[,host:port]} as Flink pods reach it; LOCAL default {@code 127.0.0.1:2181}. */
        Optional<String> zookeeperQuorum();

        /**
         * Where JobManagers keep job graphs, jars and checkpoint metadata, shared by all of a cluster's JobManagers
         * ({@code <dir>/<cluster id>}); default with the LOCAL backend: {@code ha} beside {@code local.root}. The KUBERNETES
         * backend needs shared storage here, such as {@code s3://bucket/slipway/ha}.
         */
        Optional<String> storageDir();

        enum Type {
            ZOOKEEPER,
            KUBERNETES,
            NONE
        }
    }

    /**
     * The S3-compatible store that s3:// state paths (checkpoints, savepoints, high-availability files) live on. The LOCAL
     * backend writes these into each pod's Flink configuration; the KUBERNETES backend does not: its pods take the endpoint
     * from the cluster's flinkConfiguration ({@code s3.endpoint}) and credentials from their own identity (IRSA, an
     * instance profile).
     */
    interface ObjectStorage {

        /** e.g. {@code http://minio:9000}; unset: AWS S3. */
        Optional<String> endpoint();

        /** {@code http://host/bucket/key}: MinIO, Ceph and most S3-compatible stores want it. */
        @WithDefault("false")
        boolean pathStyleAccess();

        Optional<String> accessKey();

        /** Never logged; set it from the environment ({@code SLIPWAY_PROVISIONER_OBJECT_STORAGE_SECRET_KEY}). */
        Optional<String> secretKey();
    }

    interface Kubernetes {

        /** Namespace of the pods; default: the client's (the service account's) namespace. */
        Optional<String> namespace();

        /** Container image per Flink version, e.g. {@code images."2.2.0"=flink:2.2.0-java17}. */
        Map<String, String> images();

        Optional<String> serviceAccount();

        /** Node directory for Flink logs, mounted into each pod; the node log agent reads it. */
        @WithDefault("/var/log/slipway")
        String logHostPath();

        /** A pod template (YAML file) merged under every pod; the platform's fields win. */
        Optional<String> podTemplateFile();
    }
}
