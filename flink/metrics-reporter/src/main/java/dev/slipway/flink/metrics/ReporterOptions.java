package dev.slipway.flink.metrics;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The reporter's own keys, below {@code metrics.reporter.slipway.} in a Flink configuration (Flink hands
 * them to the reporter without that prefix). The platform sets them on every pod it starts; Flink's
 * {@code metrics.reporter.slipway.interval} (how often {@code report()} runs) is Flink's own key.
 */
public final class ReporterOptions {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("bootstrap-servers")
            .stringType()
            .noDefaultValue()
            .withDescription("Kafka bootstrap servers that metric samples are shipped to; without them the reporter stays idle.");

    public static final ConfigOption<String> CLUSTER_ID = ConfigOptions.key("cluster-id")
            .stringType()
            .noDefaultValue()
            .withDescription("The platform's cluster id: the record key and clusterId of every sample; without it the reporter stays idle.");

    public static final ConfigOption<String> POD = ConfigOptions.key("pod")
            .stringType()
            .noDefaultValue()
            .withDescription("Name of the pod the process runs in (the 'pod' tag); a TaskManager's resource id when unset.");

    public static final ConfigOption<Integer> BUFFER_SIZE = ConfigOptions.key("buffer-size")
            .intType()
            .defaultValue(10_000)
            .withDescription("Samples waiting for Kafka at most; further samples are dropped (and counted) rather than held.");

    public static final ConfigOption<Long> MAX_BLOCK_MS = ConfigOptions.key("max-block-ms")
            .longType()
            .defaultValue(500L)
            .withDescription("The producer's max.block.ms: how long the sender thread waits for an unreachable broker per batch.");

    private ReporterOptions() {
    }
}
