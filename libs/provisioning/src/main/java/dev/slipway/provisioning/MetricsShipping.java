package dev.slipway.provisioning;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the metric reporter in every Flink pod ships to ({@code flink/metrics-reporter}), and how often
 * by default. The keys mirror the reporter's {@code ReporterOptions} below Flink's
 * {@code metrics.reporter.<name>.} prefix; this library cannot depend on Flink, so they are spelled here.
 *
 * @param bootstrapServers Kafka bootstrap servers as the Flink pods reach them
 * @param interval         how often each process reports, unless the cluster's configuration says otherwise
 */
public record MetricsShipping(String bootstrapServers, Duration interval) {

    /** The reporter's name in Flink's configuration. */
    public static final String REPORTER = "slipway";
    public static final String PREFIX = "metrics.reporter." + REPORTER + ".";
    /** Which factory Flink asks for the reporter; found through the reporter jar's META-INF/services. */
    public static final String FACTORY_CLASS = PREFIX + "factory.class";
    public static final String FACTORY = "dev.slipway.flink.metrics.SlipwayMetricReporterFactory";
    /** Kafka bootstrap servers the reporter ships to. */
    public static final String BOOTSTRAP_SERVERS = PREFIX + "bootstrap-servers";
    /** The cluster id: key and clusterId of every sample. */
    public static final String CLUSTER_ID = PREFIX + "cluster-id";
    /** The pod's name: the {@code pod} tag of every sample. */
    public static final String POD = PREFIX + "pod";
    /** Flink's report interval of the reporter; a default a cluster's configuration may change. */
    public static final String INTERVAL = PREFIX + "interval";
    /** Flink's list of reporters to start; when a user sets it, the platform's reporter is added to it. */
    public static final String REPORTERS = "metrics.reporters";

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    /** What a user's configuration must not change: where samples go and whose they are. */
    public static final Set<String> PLATFORM_KEYS = Set.of(FACTORY_CLASS, BOOTSTRAP_SERVERS, CLUSTER_ID, POD);

    public MetricsShipping {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the metric report interval must be positive: " + interval);
        }
    }

    /** Keys a user may override, set underneath the user's configuration. */
    Map<String, String> defaults() {
        return Map.of(INTERVAL, interval.toMillis() + " ms");
    }

    /** The reporter's platform keys for one pod, set over the user's configuration. */
    Map<String, String> reporter(String clusterId, String podName) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put(FACTORY_CLASS, FACTORY);
        conf.put(BOOTSTRAP_SERVERS, bootstrapServers);
        conf.put(CLUSTER_ID, clusterId);
        conf.put(POD, podName);
        return conf;
    }

    /** A user's own {@code metrics.reporters} list with the platform's reporter in it; null stays null (all reporters run). */
    static String withPlatformReporter(String reporters) {
        if (reporters == null || reporters.isBlank()) {
            return reporters;
        }
        for (String name : reporters.split(",")) {
            if (name.trim().equals(REPORTER)) {
                return reporters;
            }
        }
        return reporters + "," + REPORTER;
    }
}
