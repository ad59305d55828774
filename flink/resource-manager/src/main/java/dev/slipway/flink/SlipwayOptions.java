package dev.slipway.flink;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** The keys the platform writes into a JobManager's configuration for its resource manager. */
public final class SlipwayOptions {

    public static final ConfigOption<String> CLUSTER_ID = ConfigOptions.key("slipway.cluster.id")
            .stringType().noDefaultValue().withDescription("The Slipway cluster this JobManager belongs to.");

    public static final ConfigOption<String> SCHEDULER_URL = ConfigOptions.key("slipway.scheduler.url")
            .stringType().noDefaultValue().withDescription("Base URL of the resource-scheduler's REST API.");

    public static final ConfigOption<String> CLUSTER_TOKEN = ConfigOptions.key("slipway.cluster.token")
            .stringType().noDefaultValue().withDescription("The cluster's credential, sent as a bearer token.");

    public static final ConfigOption<String> CLUSTER_TOKEN_FILE = ConfigOptions.key("slipway.cluster.token-file")
            .stringType().noDefaultValue().withDescription("A file holding the cluster's credential, read for every call: the"
                    + " platform rewrites it when the cluster's tokens are revoked. Used instead of slipway.cluster.token when set.");

    public static final ConfigOption<Duration> RETRY_MAX_BACKOFF = ConfigOptions.key("slipway.retry.max-backoff")
            .durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Longest wait between two attempts to reach the platform.");

    public static final ConfigOption<Double> RETRY_JITTER = ConfigOptions.key("slipway.retry.jitter")
            .doubleType().defaultValue(0.5)
            .withDescription("Each wait before another attempt to reach the platform is stretched at random by up to this"
                    + " fraction of itself (0 to 1; 0 turns it off), so JobManagers that failed together do not retry together.");

    private SlipwayOptions() {
    }

    static String require(org.apache.flink.configuration.Configuration configuration, ConfigOption<String> option) {
        String value = configuration.get(option);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The JobManager's configuration lacks " + option.key()
                    + "; the platform writes it when it starts an ELASTIC cluster's JobManager");
        }
        return value;
    }
}
