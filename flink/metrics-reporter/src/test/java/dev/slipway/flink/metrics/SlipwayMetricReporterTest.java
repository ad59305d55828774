package dev.slipway.flink.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.slipway.contracts.telemetry.MetricSample;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;

class SlipwayMetricReporterTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final String JOB = "5f3c0a1e9b7d4c2a8e6f1b3d5a7c9e0f";

    private final RecordingShipper shipper = new RecordingShipper();
    private final SlipwayMetricReporter reporter = new SlipwayMetricReporter(settings -> shipper, Clock.fixed(NOW, ZoneOffset.UTC));

    private static MetricConfig config() {
        MetricConfig config = new MetricConfig();
        config.setProperty(ReporterOptions.BOOTSTRAP_SERVERS.key(), "kafka:9092");
        config.setProperty(ReporterOptions.CLUSTER_ID.key(), "orders");
        config.setProperty(ReporterOptions.POD.key(), "orders-tm-0");
        return config;
    }

    @Test
    void aReportShipsEverySelectedMetricOnceAsASampleOfTheCluster() {
        reporter.open(config());
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 123_456L, "Used", ScopedGroup.taskManagerHeap("orders-tm-0"));
        reporter.notifyOfAddedMetric((Gauge<Double>) () -> 250.5, "busyTimeMsPerSecond",
                ScopedGroup.task(JOB, "sum-per-key", 0, "orders-tm-0"));
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 7L, "Committed", ScopedGroup.taskManagerHeap("orders-tm-0"));

        reporter.report();

        assertThat(shipper.samples).hasSize(2).allSatisfy(sample -> {
            assertThat(sample.clusterId()).isEqualTo("orders");
            assertThat(sample.occurredAt()).isEqualTo(NOW);
            assertThat(sample.tags()).containsEntry("pod", "orders-tm-0");
        });
        assertThat(shipper.samples).extracting(MetricSample::name, MetricSample::value)
                .containsExactlyInAnyOrder(tuple("Status.JVM.Memory.Heap.Used", 123_456.0),
                        tuple("busyTimeMsPerSecond", 250.5));
    }

    @Test
    void eventIdsAreTheSameForTheSameMetricAndReportTimeAndDifferOtherwise() {
        reporter.open(config());
        reporter.notifyOfAddedMetric((Gauge<Double>) () -> 1.0, "busyTimeMsPerSecond", ScopedGroup.task(JOB, "sum", 0, "tm"));
        reporter.notifyOfAddedMetric((Gauge<Double>) () -> 2.0, "busyTimeMsPerSecond", ScopedGroup.task(JOB, "sum", 1, "tm"));

        reporter.report();
        reporter.report();

        List<String> ids = shipper.samples.stream().map(MetricSample::eventId).toList();
        assertThat(ids).hasSize(4);
        assertThat(ids.subList(0, 2)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids.subList(2, 4));
    }

    @Test
    void aRemovedMetricAndAValueThatIsNoNumberAreNotShipped() {
        reporter.open(config());
        SimpleCounter restarts = new SimpleCounter();
        restarts.inc(3);
        reporter.notifyOfAddedMetric(restarts, "numRestarts", ScopedGroup.jobManagerJob(JOB));
        reporter.notifyOfAddedMetric((Gauge<Double>) () -> Double.NaN, "lastCheckpointDuration", ScopedGroup.jobManagerJob(JOB));
        reporter.notifyOfAddedMetric((Gauge<String>) () -> "n/a", "lastCheckpointSize", ScopedGroup.jobManagerJob(JOB));

        reporter.report();
        assertThat(shipper.samples).extracting(MetricSample::name, MetricSample::value)
                .containsExactly(tuple("numRestarts", 3.0));

        reporter.notifyOfRemovedMetric(restarts, "numRestarts", ScopedGroup.jobManagerJob(JOB));
        reporter.report();
        assertThat(shipper.samples).hasSize(1);
    }

    @Test
    void aGaugeThatThrowsIsSkippedAndTheOthersStillShip() {
        reporter.open(config());
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> {
            throw new IllegalStateException("job is gone");
        }, "lastCheckpointDuration", ScopedGroup.jobManagerJob(JOB));
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 5L, "numRestarts", ScopedGroup.jobManagerJob(JOB));

        reporter.report();

        assertThat(shipper.samples).extracting(MetricSample::name).containsExactly("numRestarts");
    }

    @Test
    void withoutItsKafkaAddressTheReporterStaysIdleInsteadOfFailingFlink() {
        MetricConfig config = config();
        config.remove(ReporterOptions.BOOTSTRAP_SERVERS.key());

        reporter.open(config);
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 5L, "numRestarts", ScopedGroup.jobManagerJob(JOB));
        reporter.report();
        reporter.close();

        assertThat(reporter.selectedCount()).isZero();
        assertThat(shipper.samples).isEmpty();
        assertThat(shipper.closed).isFalse();
    }

    @Test
    void closingClosesTheShipper() {
        reporter.open(config());
        reporter.close();
        reporter.report();

        assertThat(shipper.closed).isTrue();
    }

    /** Records what the reporter hands over. */
    private static final class RecordingShipper implements SampleShipper {

        final List<MetricSample> samples = new ArrayList<>();
        boolean closed;

        @Override
        public void offer(MetricSample sample) {
            samples.add(sample);
        }

        @Override
        public long dropped() {
            return 0;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
