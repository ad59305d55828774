package dev.slipway.indexer.metrics;

import dev.slipway.contracts.telemetry.MetricSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * Metric series in one Lucene index: numeric doc values per sample, points on time. Raw samples are
 * kept for {@code rawRetention}; then, in one Lucene commit, they are replaced by one rollup per series
 * and bucket of {@code rollupStep} (min, max, sum, count), and rollups go after {@code rollupRetention}.
 * The commit records the rollup horizon: a sample older than it arrives too late and is not stored,
 * so a redelivered sample can never be counted both raw and in a rollup. Only the ingest thread writes.
 */
public final class MetricStore implements AutoCloseable {

    private static final String HORIZON = "slipway.rollup-horizon";

    private final Clock clock;
    private final Duration rawRetention;
    private final Duration rollupStep;
    private final Duration rollupRetention;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private volatile long horizonMillis;

    public MetricStore(Path dir, Clock clock, Duration rawRetention, Duration rollupStep, Duration rollupRetention) throws IOException {
        this.clock = clock;
        this.rawRetention = rawRetention;
        this.rollupStep = rollupStep;
        this.rollupRetention = rollupRetention;
        Files.createDirectories(dir);
        this.directory = FSDirectory.open(dir);
        if (DirectoryReader.indexExists(directory)) {
            List<IndexCommit> commits = DirectoryReader.listCommits(directory);
            horizonMillis = Long.parseLong(commits.get(commits.size() - 1).getUserData().getOrDefault(HORIZON, "0"));
        }
        this.writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND).setCommitOnClose(false));
        this.searchers = new SearcherManager(writer, null);
    }

    /** Stores the sample (replacing an earlier copy with its id); false when it is older than the rollup horizon. */
    public boolean add(MetricSample sample) throws IOException {
        long time = sample.occurredAt().toEpochMilli();
        if (time < horizonMillis) {
            return false;
        }
        MetricFields.SeriesId series = new MetricFields.SeriesId(sample.name(), sample.clusterId(), sample.tags());
        Document doc = MetricFields.document(MetricFields.RAW, series, time, sample.value(), sample.value(), sample.value(), 1);
        doc.add(new StringField(MetricFields.ID, sample.eventId(), Field.Store.NO));
        writer.updateDocument(new Term(MetricFields.ID, sample.eventId()), doc);
        return true;
    }

    public void commit() throws IOException {
        if (writer.hasUncommittedChanges()) {
            writer.setLiveCommitData(Map.of(HORIZON, Long.toString(horizonMillis)).entrySet());
            writer.commit();
        }
    }

    public void refresh() throws IOException {
        searchers.maybeRefresh();
    }

    public Instant horizon() {
        return Instant.ofEpochMilli(horizonMillis);
    }

    /**
     * Rolls raw samples older than raw retention (aligned to the step) into buckets, deletes them and
     * expired rollups, and commits all of it at once. Returns how many raw samples were rolled up.
     */
    public long compact() throws IOException {
        long step = rollupStep.toMillis();
        long newHorizon = Math.floorDiv(clock.millis() - rawRetention.toMillis(), step) * step;
        long rolled = 0;
        if (newHorizon > horizonMillis) {
            Query old = new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(MetricFields.KIND, MetricFields.RAW)), BooleanClause.Occur.FILTER)
                    .add(LongPoint.newRangeQuery(MetricFields.TIME, Long.MIN_VALUE, newHorizon - 1), BooleanClause.Occur.FILTER)
                    .build();
            searchers.maybeRefreshBlocking();
            Map<String, TreeMap<Long, Bucket>> buckets = collect(old, step);
            for (Map.Entry<String, TreeMap<Long, Bucket>> series : buckets.entrySet()) {
                MetricFields.SeriesId id = MetricFields.parse(series.getKey());
                for (Map.Entry<Long, Bucket> bucket : series.getValue().entrySet()) {
                    Bucket b = bucket.getValue();
                    writer.addDocument(MetricFields.document(MetricFields.ROLLUP, id, bucket.getKey(), b.min, b.max, b.sum, b.count));
                    rolled += b.count;
                }
            }
            writer.deleteDocuments(old);
            horizonMillis = newHorizon;
        }
        long expired = clock.millis() - rollupRetention.toMillis();
        writer.deleteDocuments(new BooleanQuery.Builder()
                .add(new TermQuery(new Term(MetricFields.KIND, MetricFields.ROLLUP)), BooleanClause.Occur.FILTER)
                .add(LongPoint.newRangeQuery(MetricFields.TIME, Long.MIN_VALUE, expired - 1), BooleanClause.Occur.FILTER)
                .build());
        commit();
        return rolled;
    }

    public List<MetricSeries> query(MetricQuery query) throws IOException {
        BooleanQuery.Builder bool = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(MetricFields.NAME, query.name())), BooleanClause.Occur.FILTER)
                .add(LongPoint.newRangeQuery(MetricFields.TIME, query.from().toEpochMilli(), query.to().toEpochMilli() - 1),
                        BooleanClause.Occur.FILTER);
        if (query.clusterId() != null) {
            bool.add(new TermQuery(new Term(MetricFields.CLUSTER, query.clusterId())), BooleanClause.Occur.FILTER);
        }
        query.tags().forEach((key, value) ->
                bool.add(new TermQuery(new Term(MetricFields.TAG_PREFIX + key, value)), BooleanClause.Occur.FILTER));
        Map<String, TreeMap<Long, Bucket>> buckets = collect(bool.build(), query.step().toMillis());
        List<MetricSeries> answer = new ArrayList<>();
        new TreeMap<>(buckets).forEach((key, points) -> {
            MetricFields.SeriesId id = MetricFields.parse(key);
            List<MetricSeries.Point> list = new ArrayList<>(points.size());
            points.forEach((time, b) -> list.add(new MetricSeries.Point(Instant.ofEpochMilli(time), b.min, b.max, b.sum / b.count, b.count)));
            answer.add(new MetricSeries(id.clusterId(), id.tags(), list));
        });
        return answer;
    }

    private Map<String, TreeMap<Long, Bucket>> collect(Query query, long stepMillis) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.search(query, new CollectorManager<SeriesCollector, Map<String, TreeMap<Long, Bucket>>>() {
                @Override
                public SeriesCollector newCollector() {
                    return new SeriesCollector(stepMillis);
                }

                @Override
                public Map<String, TreeMap<Long, Bucket>> reduce(Collection<SeriesCollector> collectors) {
                    Map<String, TreeMap<Long, Bucket>> merged = new HashMap<>();
                    for (SeriesCollector collector : collectors) {
                        collector.series.forEach((key, points) -> points.forEach((time, b) -> merged
                                .computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(time, t -> new Bucket())
                                .add(b.min, b.max, b.sum, b.count)));
                    }
                    return merged;
                }
            });
        } finally {
            searchers.release(searcher);
        }
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
