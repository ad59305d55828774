package dev.slipway.flink.metrics;

import dev.slipway.contracts.telemetry.MetricSample;

/** Takes samples off the reporter's hands; never blocks and never throws. */
interface SampleShipper extends AutoCloseable {

    void offer(MetricSample sample);

    /** Samples given up so far (buffer full, Kafka unreachable, a failed send). */
    long dropped();

    @Override
    void close();
}
