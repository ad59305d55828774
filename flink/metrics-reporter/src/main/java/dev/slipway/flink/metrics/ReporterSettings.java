package dev.slipway.flink.metrics;

import java.util.Properties;
import org.apache.flink.configuration.ConfigOption;

/**
 * The reporter's configuration, read from the properties Flink passes to it ({@link ReporterOptions}).
 *
 * @param pod may be null: a TaskManager's resource id (the pod name on this platform) stands in
 */
public record ReporterSettings(String bootstrapServers, String clusterId, String pod, int bufferSize, long maxBlockMs) {

    /** @throws IllegalArgumentException naming the key when a required one is missing or a number is not one */
    public static ReporterSettings from(Properties config) {
        String bootstrap = required(config, ReporterOptions.BOOTSTRAP_SERVERS);
        String cluster = required(config, ReporterOptions.CLUSTER_ID);
        int buffer = Integer.parseInt(valueOrDefault(config, ReporterOptions.BUFFER_SIZE));
        long maxBlock = Long.parseLong(valueOrDefault(config, ReporterOptions.MAX_BLOCK_MS));
        if (buffer < 1 || maxBlock < 0) {
            throw new IllegalArgumentException(ReporterOptions.BUFFER_SIZE.key() + " must be at least 1 and "
                    + ReporterOptions.MAX_BLOCK_MS.key() + " at least 0");
        }
        return new ReporterSettings(bootstrap, cluster, text(config, ReporterOptions.POD), buffer, maxBlock);
    }

    private static String required(Properties config, ConfigOption<String> option) {
        String value = text(config, option);
        if (value == null) {
            throw new IllegalArgumentException(option.key() + " is not set");
        }
        return value;
    }

    private static String text(Properties config, ConfigOption<String> option) {
        String value = config.getProperty(option.key());
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String valueOrDefault(Properties config, ConfigOption<?> option) {
        String value = config.getProperty(option.key());
        return value == null || value.isBlank() ? String.valueOf(option.defaultValue()) : value.trim();
    }
}
