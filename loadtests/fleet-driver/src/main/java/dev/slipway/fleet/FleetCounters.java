package dev.slipway.fleet;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the fleet asked for and got, across every JobManager. */
final class FleetCounters {

    final AtomicLong requested = new AtomicLong();
    final AtomicLong served = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    /** Requests of a JobManager that restarted before they were served: Flink forgets them, the platform serves them anyway. */
    final AtomicLong abandonedByRestart = new AtomicLong();
    final AtomicLong released = new AtomicLong();
    final AtomicLong recovered = new AtomicLong();
    final AtomicLong terminated = new AtomicLong();
    final AtomicLong restarts = new AtomicLong();
    final LatencyRecorder latency = new LatencyRecorder();
    private final Map<String, Long> failures = new TreeMap<>();

    synchronized void failure(String reason) {
        failed.incrementAndGet();
        failures.merge(reason.length() > 120 ? reason.substring(0, 120) : reason, 1L, Long::sum);
    }

    synchronized Map<String, Long> failures() {
        return Map.copyOf(failures);
    }

    long outstanding() {
        return requested.get() - served.get() - failed.get() - abandonedByRestart.get();
    }

    String line() {
        return String.format("requested=%d served=%d failed=%d abandonedByRestart=%d outstanding=%d released=%d recovered=%d"
                        + " terminated=%d restarts=%d p50=%.1fms p99=%.1fms max=%.1fms", requested.get(), served.get(), failed.get(),
                abandonedByRestart.get(), outstanding(), released.get(), recovered.get(), terminated.get(), restarts.get(),
                latency.percentile(50) / 1000.0, latency.percentile(99) / 1000.0, latency.percentile(100) / 1000.0);
    }
}
