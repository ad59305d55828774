package dev.slipway.flink.metrics;

import java.util.OptionalDouble;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;

/** A metric's current value as a number: a meter's rate, a counter's count, a numeric gauge's value. */
final class MetricValues {

    private MetricValues() {
    }

    /** Empty for a histogram, a gauge that is not a number, a value that is not finite, or a gauge that throws. */
    static OptionalDouble read(Metric metric) {
        double value;
        try {
            if (metric instanceof Meter meter) {
                value = meter.getRate();
            } else if (metric instanceof Counter counter) {
                value = counter.getCount();
            } else if (metric instanceof Gauge<?> gauge) {
                Object current = gauge.getValue();
                if (current instanceof Number number) {
                    value = number.doubleValue();
                } else if (current instanceof Boolean flag) {
                    value = flag ? 1 : 0;
                } else {
                    return OptionalDouble.empty();
                }
            } else {
                return OptionalDouble.empty();
            }
        } catch (RuntimeException e) {
            // A gauge of a job that is going away may fail; the next report reads it again or it is gone.
            return OptionalDouble.empty();
        }
        return Double.isFinite(value) ? OptionalDouble.of(value) : OptionalDouble.empty();
    }
}
