package dev.slipway.indexer.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.json.EventCodec;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.telemetry.LogRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The partitioned index on its own: retention, deduplication, reopening, stack traces. */
class LogIndexTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:30:00Z");
    private static final EventCodec CODEC = new EventCodec();

    @TempDir
    Path dir;

    private MutableClock clock = new MutableClock(NOW);

    @Test
    void partitionsPastRetentionAreDroppedWithTheirRecords() throws IOException {
        try (LogIndex index = new LogIndex(dir, Granularity.HOUR, Duration.ofHours(3), Long.MAX_VALUE, clock)) {
            add(index, record("c1", NOW.minus(Duration.ofMinutes(150)), "INFO", "old line"));
            add(index, record("c1", NOW.minus(Duration.ofMinutes(10)), "INFO", "new line"));
            index.commit();
            index.refresh();
            assertThat(index.partitions()).extracting(PartitionInfo::name).containsExactly("2026-11-30T10", "2026-11-30T12");

            clock.set(NOW.plus(Duration.ofMinutes(105))); // 14:15: all of 10:00-11:00 is older than 3 h
            assertThat(index.enforceRetention()).extracting(PartitionInfo::name).containsExactly("2026-11-30T10");
            assertThat(index.partitions()).extracting(PartitionInfo::name).containsExactly("2026-11-30T12");
            assertThat(dir.resolve("2026-11-30T10")).doesNotExist();
            assertThat(search(index, "line").records()).extracting(LogRecord::message).containsExactly("new line");
            // A record older than retention that arrives late is not indexed into a partition again.
            assertThat(index.add(record("c1", NOW.minus(Duration.ofMinutes(150)), "INFO", "late line"), new byte[0])).isFalse();
        }
    }

    @Test
    void theOldestPartitionsAreDroppedWhileTheTotalIsTooLarge() throws IOException {
        try (LogIndex unbounded = new LogIndex(dir, Granularity.HOUR, Duration.ofDays(7), Long.MAX_VALUE, clock)) {
            for (int hour = 5; hour >= 0; hour--) {
                for (int i = 0; i < 200; i++) {
                    add(unbounded, record("c1", NOW.minus(Duration.ofHours(hour)), "INFO", "line " + i + " of hour " + hour));
                }
            }
            unbounded.commit();
        }
        long total;
        long newestTwo;
        try (LogIndex index = new LogIndex(dir, Granularity.HOUR, Duration.ofDays(7), Long.MAX_VALUE, clock)) {
            total = index.partitions().stream().mapToLong(PartitionInfo::bytes).sum();
            newestTwo = index.partitions().stream().skip(4).mapToLong(PartitionInfo::bytes).sum();
            assertThat(index.partitions()).hasSize(6);
        }
        try (LogIndex index = new LogIndex(dir, Granularity.HOUR, Duration.ofDays(7), newestTwo, clock)) {
            assertThat(index.enforceRetention()).extracting(PartitionInfo::name)
                    .containsExactly("2026-11-30T07", "2026-11-30T08", "2026-11-30T09", "2026-11-30T10");
            assertThat(index.partitions()).extracting(PartitionInfo::name).containsExactly("2026-11-30T11", "2026-11-30T12");
            assertThat(index.partitions().stream().mapToLong(PartitionInfo::bytes).sum()).isLessThanOrEqualTo(newestTwo)
                    .isLessThan(total);
            index.refresh();
            assertThat(search(index, "hour").total()).isEqualTo(400);
        }
    }

    @Test
    void aRecordSentTwiceIsStoredOnceAndSurvivesReopening() throws IOException {
        LogRecord record = record("c1", NOW, "WARN", "checkpoint 17 declined");
        try (LogIndex index = new LogIndex(dir, Granularity.HOUR, Duration.ofDays(7), Long.MAX_VALUE, clock)) {
            add(index, record);
            add(index, record);
            index.commit();
        }
        try (LogIndex index = new LogIndex(dir, Granularity.DAY, Duration.ofDays(7), Long.MAX_VALUE, clock)) {
            add(index, record);
            index.commit();
            index.refresh();
            LogPage page = search(index, "declined");
            assertThat(page.total()).isEqualTo(1);
            assertThat(page.records()).containsExactly(record);
            // The hour partition written before still holds 12:00-13:00; the day granularity does not split it.
            assertThat(index.partitions()).extracting(PartitionInfo::name).containsExactly("2026-11-30T12");
        }
    }

    @Test
    void copiesSentConcurrentlyAndAgainAfterReopeningAreStoredOnce() throws Exception {
        List<LogRecord> records = IntStream.range(0, 3_000)
                .mapToObj(i -> record("c1", NOW.minusMillis(i), "INFO", "line " + i)).toList();
        try (LogIndex index = new LogIndex(dir, Granularity.HOUR, Duration.ofDays(7), Long.MAX_VALUE, clock)) {
            // Two indexing threads get the same records at once: each id is checked and written under one lock.
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    running.add(threads.submit(() -> {
                        for (LogRecord record : records) {
                            add(index, record);
                        }
                        return null;
                    }));
                }
                for (Future<?> done : running) {
                    done.get();
                }
            } finally {
                threads.shutdownNow();
            }
            index.commit();
            index.refresh();
            assertThat(search(index, "line").total()).isEqualTo(3_000);
        }
        // After a restart the filter starts from the ids on disk: the re-sent copies replace theirs, a new one is added.
        try (LogIndex index = new LogIndex(dir, Granularity.HOUR, Duration.ofDays(7), Long.MAX_VALUE, clock)) {
            for (LogRecord record : records) {
                add(index, record);
            }
            add(index, record("c1", NOW, "INFO", "line new"));
            index.commit();
            index.refresh();
            assertThat(search(index, "line").total()).isEqualTo(3_001);
            assertThat(index.partitions()).extracting(PartitionInfo::records).containsOnly(3_001L).hasSize(1);
        }
    }

    @Test
    void aStackTraceIsOneRecordFoundByItsPartsAndPhrases() throws IOException {
        String trace = "Task failed\njava.lang.IllegalStateException: buffer pool destroyed\n"
                + "\tat org.apache.flink.runtime.io.network.buffer.LocalBufferPool.requestMemorySegment(LocalBufferPool.java:381)\n"
                + "\tat org.apache.flink.streaming.runtime.tasks.StreamTask.invoke(StreamTask.java:940)";
        try (LogIndex index = new LogIndex(dir, Granularity.HOUR, Duration.ofDays(7), Long.MAX_VALUE, clock)) {
            add(index, record("c1", NOW, "ERROR", trace));
            add(index, record("c1", NOW, "INFO", "IllegalStateException is mentioned here alone"));
            index.commit();
            index.refresh();
            assertThat(search(index, "LocalBufferPool.java").records()).extracting(LogRecord::message).containsExactly(trace);
            assertThat(search(index, "java.lang.IllegalStateException").records()).extracting(LogRecord::message)
                    .containsExactly(trace);
            assertThat(search(index, "\"buffer pool destroyed\"").total()).isEqualTo(1);
            assertThat(search(index, "IllegalStateException").total()).isEqualTo(2);
        }
    }

    private static LogPage search(LogIndex index, String text) throws IOException {
        return new LogSearch(index).search(new LogQuery(text, Set.of(), null, null, null, null, null, 100, null));
    }

    private static void add(LogIndex index, LogRecord record) throws IOException {
        index.add(record, CODEC.encode(record));
    }

    static LogRecord record(String cluster, Instant at, String level, String message) {
        return new LogRecord(UUID.randomUUID().toString(), cluster, at, cluster + "-tm-0", PodRole.TASK_MANAGER, null, level,
                "org.apache.flink.runtime.taskmanager.Task", "main", message, "/logs/tm.log", 0);
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
