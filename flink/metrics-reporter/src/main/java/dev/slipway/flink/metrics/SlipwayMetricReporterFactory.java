package dev.slipway.flink.metrics;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Found by Flink through {@code META-INF/services}; configured as
 * {@code metrics.reporter.slipway.factory.class: dev.slipway.flink.metrics.SlipwayMetricReporterFactory}.
 */
public final class SlipwayMetricReporterFactory implements MetricReporterFactory {

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new SlipwayMetricReporter();
    }
}
