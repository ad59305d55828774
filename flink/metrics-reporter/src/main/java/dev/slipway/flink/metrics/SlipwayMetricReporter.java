package dev.slipway.flink.metrics;

import dev.slipway.contracts.Events;
import dev.slipway.contracts.telemetry.MetricSample;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.Scheduled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the metrics of {@link MetricSelection} as {@link MetricSample}s to {@code slipway.metrics.v1}
 * every {@code metrics.reporter.slipway.interval}. It must never block or crash Flink: {@link #report()}
 * reads values and hands samples to a {@link SampleShipper} that only queues them, and a configuration
 * it cannot use leaves it idle with a warning instead of failing the process.
 */
public final class SlipwayMetricReporter implements MetricReporter, Scheduled {

    private static final Logger LOG = LoggerFactory.getLogger(SlipwayMetricReporter.class);
    private static final CharacterFilter AS_IS = input -> input;

    private final Map<Metric, SelectedMetric> metrics = new ConcurrentHashMap<>();
    private final Function<ReporterSettings, SampleShipper> shippers;
    private final Clock clock;
    private volatile ReporterSettings settings;
    private volatile SampleShipper shipper;

    public SlipwayMetricReporter() {
        this(settings -> new KafkaSampleShipper(settings, Clock.systemUTC()), Clock.systemUTC());
    }

    SlipwayMetricReporter(Function<ReporterSettings, SampleShipper> shippers, Clock clock) {
        this.shippers = shippers;
        this.clock = clock;
    }

    @Override
    public void open(MetricConfig config) {
        try {
            settings = ReporterSettings.from(config);
            shipper = shippers.apply(settings);
            LOG.info("Shipping metrics of cluster {} (pod {}) to Kafka at {}", settings.clusterId(), settings.pod(),
                    settings.bootstrapServers());
        } catch (RuntimeException e) {
            LOG.warn("The Slipway metric reporter stays idle: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        SampleShipper current = shipper;
        shipper = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        ReporterSettings current = settings;
        if (current == null) {
            return;
        }
        try {
            MetricSelection.select(metricName, logicalScope(group), group.getAllVariables(), current.pod())
                    .ifPresent(selected -> metrics.put(metric, selected));
        } catch (RuntimeException e) {
            LOG.debug("Not shipping metric {}: {}", metricName, e.toString());
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        metrics.remove(metric);
    }

    @Override
    public void report() {
        SampleShipper current = shipper;
        ReporterSettings config = settings;
        if (current == null || config == null) {
            return;
        }
        Instant now = clock.instant();
        String millis = Long.toString(now.toEpochMilli());
        metrics.forEach((metric, selected) -> {
            OptionalDouble value = MetricValues.read(metric);
            if (value.isPresent()) {
                // The same metric at the same report time is the same event, so a re-sent sample is recognisable.
                String id = Events.deterministicId(config.clusterId(), String.valueOf(config.pod()), selected.name(),
                        selected.identity(), millis);
                current.offer(new MetricSample(id, config.clusterId(), now, selected.name(), selected.tags(), value.getAsDouble()));
            }
        });
    }

    /** Metrics the reporter follows now; for tests. */
    int selectedCount() {
        return metrics.size();
    }

    /** E.g. {@code taskmanager.job.task}; empty for a group that does not know its logical scope. */
    private static String logicalScope(MetricGroup group) {
        try {
            return LogicalScopeProvider.castFrom(group).getLogicalScope(AS_IS);
        } catch (IllegalStateException notProvided) {
            return "";
        }
    }
}
