package dev.slipway.loadtests;

import dev.slipway.contracts.EventTypes;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.json.EventCodec;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.contracts.telemetry.TelemetryEvent;
import dev.slipway.indexer.logs.Granularity;
import dev.slipway.indexer.logs.LogIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The most the indexer's write path can do on this machine: the benchmark's log lines, encoded beforehand, decoded
 * and added to a {@link LogIndex} (the indexer's own class, same documents, same index sort) by N threads, then
 * committed; no broker, no producer, no HTTP. Each thread count runs twice on a fresh index and the second run is
 * reported, so the figure is the JIT-compiled code's. What LogIndexBenchmark measures end to end cannot be above it.
 *
 * <p>Arguments: lines per run, thread counts ("1,2").
 */
public final class LogIndexCeilingBenchmark {

    private static final String CE_TYPE = EventTypes.ceType(LogRecord.class);

    public static void main(String[] args) throws Exception {
        int lines = Integer.parseInt(args[0]);
        int[] threadCounts = Arrays.stream((args.length > 1 ? args[1] : "1,2").split(",")).mapToInt(Integer::parseInt).toArray();
        EventCodec codec = new EventCodec();
        LogLines generator = new LogLines();
        Instant first = Instant.now().minus(Duration.ofHours(3));
        long spacingNanos = Duration.ofHours(3).toNanos() / lines;
        byte[][] payloads = new byte[lines][];
        for (int i = 0; i < lines; i++) {
            payloads[i] = codec.encode(generator.line(i, first.plusNanos(i * spacingNanos)));
        }
        MachineNotes.print();
        System.out.printf("%,d lines of %.0f bytes on average, over 3 h of log time (hourly partitions)%n", lines,
                Arrays.stream(payloads).mapToInt(payload -> payload.length).average().orElse(0));
        for (int threads : threadCounts) {
            for (int round = 0; round < 2; round++) { // round 0 warms up
                double decodeOnly = run(codec, payloads, threads, false);
                double indexed = run(codec, payloads, threads, true);
                if (round == 1) {
                    System.out.printf("%d thread(s): decoded %,.0f lines/s; decoded, indexed and committed %,.0f lines/s%n", threads,
                            decodeOnly, indexed);
                }
            }
        }
    }

    /** Lines per second through decode (and LogIndex.add and a commit, with {@code index}). */
    private static double run(EventCodec codec, byte[][] payloads, int threads, boolean index) throws Exception {
        Path dir = Files.createTempDirectory("slipway-index-ceiling");
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        try (LogIndex logs = new LogIndex(dir, Granularity.HOUR, Duration.ofDays(30), Long.MAX_VALUE, Clock.systemUTC())) {
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            int chunk = (payloads.length + threads - 1) / threads;
            for (int from = 0; from < payloads.length; from += chunk) {
                int begin = from;
                int end = Math.min(payloads.length, from + chunk);
                running.add(workers.submit(() -> {
                    for (int i = begin; i < end; i++) {
                        DecodeResult<TelemetryEvent> decoded = codec.decode(payloads[i], CE_TYPE, TelemetryEvent.class);
                        if (!(decoded instanceof DecodeResult.Decoded<TelemetryEvent> record)) {
                            throw new IllegalStateException("line " + i + " does not decode: " + decoded);
                        }
                        if (index) {
                            logs.add((LogRecord) record.event(), payloads[i]);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> done : running) {
                done.get();
            }
            logs.commit();
            return payloads.length / ((System.nanoTime() - start) / 1e9);
        } finally {
            workers.shutdown();
            LogIndexBenchmark.delete(dir);
        }
    }
}
