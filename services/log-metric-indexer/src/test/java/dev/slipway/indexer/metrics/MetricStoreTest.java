package dev.slipway.indexer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.telemetry.MetricSample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The series store on its own: buckets, rollups with age, the horizon across reopening. */
class MetricStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void rawSamplesAreBucketedAndRolledUpOnceOlderThanRawRetention() throws IOException {
        Clock clock = Clock.fixed(T0.plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        try (MetricStore store = new MetricStore(dir, clock, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofDays(1))) {
            // Two minutes of one sample every 10 s: values 0..11; plus a second task's series.
            for (int i = 0; i < 12; i++) {
                store.add(sample("lastCheckpointDuration", Map.of("job", "j1", "task", "a"), T0.plusSeconds(10L * i), i));
            }
            MetricSample recent = sample("lastCheckpointDuration", Map.of("job", "j1", "task", "a"), T0.plus(Duration.ofMinutes(8)), 100);
            store.add(recent);
            store.add(recent); // re-sent: stored once
            store.add(sample("lastCheckpointDuration", Map.of("job", "j1", "task", "b"), T0, 7));
            store.refresh();

            List<MetricSeries> raw = store.query(query(Map.of("task", "a"), Duration.ofSeconds(10)));
            assertThat(raw).hasSize(1);
            assertThat(raw.get(0).points()).hasSize(13).allMatch(point -> point.count() == 1);

            assertThat(store.compact()).isEqualTo(13); // 12 of task a and 1 of task b, before 10:05
            assertThat(store.horizon()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
            store.refresh();
            List<MetricSeries> rolled = store.query(query(Map.of("task", "a"), Duration.ofSeconds(10)));
            assertThat(rolled.get(0).points()).containsExactly(
                    new MetricSeries.Point(T0, 0, 5, 2.5, 6),
                    new MetricSeries.Point(T0.plus(Duration.ofMinutes(1)), 6, 11, 8.5, 6),
                    new MetricSeries.Point(T0.plus(Duration.ofMinutes(8)), 100, 100, 100, 1));
            List<MetricSeries> hourly = store.query(query(Map.of(), Duration.ofHours(1)));
            assertThat(hourly).extracting(series -> series.tags().get("task")).containsExactly("a", "b");
            assertThat(hourly.get(0).points()).containsExactly(new MetricSeries.Point(T0, 0, 100, 166.0 / 13, 13));
        }
        Clock later = Clock.fixed(T0.plus(Duration.ofMinutes(11)), ZoneOffset.UTC);
        try (MetricStore store = new MetricStore(dir, later, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofDays(1))) {
            // The horizon was committed: a sample before it (a redelivery of a rolled-up one) is not counted twice.
            assertThat(store.horizon()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
            assertThat(store.add(sample("lastCheckpointDuration", Map.of("job", "j1", "task", "a"), T0, 0))).isFalse();
            store.refresh();
            assertThat(store.query(query(Map.of("task", "a"), Duration.ofHours(1))).get(0).points().get(0).count()).isEqualTo(13);
        }
    }

    @Test
    void tagValuesMayHoldTheSeriesKeySeparators() throws IOException {
        Clock clock = Clock.fixed(T0.plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
        Map<String, String> tags = Map.of("job", "j1", "jobName", "INSERT INTO a|b SELECT x=1, y FROM t", "task", "a");
        try (MetricStore store = new MetricStore(dir, clock, Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofDays(1))) {
            store.add(sample("lastCheckpointDuration", tags, T0, 3));
            store.compact();
            store.refresh();
            List<MetricSeries> series = store.query(query(Map.of("jobName", tags.get("jobName")), Duration.ofMinutes(1)));
            assertThat(series).hasSize(1);
            assertThat(series.get(0).tags()).isEqualTo(tags);
            assertThat(series.get(0).points()).containsExactly(new MetricSeries.Point(T0, 3, 3, 3, 1));
        }
    }

    private static MetricQuery query(Map<String, String> tags, Duration step) {
        return new MetricQuery("lastCheckpointDuration", "c1", tags, T0.minus(Duration.ofHours(1)), T0.plus(Duration.ofHours(1)), step);
    }

    private static MetricSample sample(String name, Map<String, String> tags, Instant at, double value) {
        return new MetricSample(UUID.randomUUID().toString(), "c1", at, name, tags, value);
    }
}
