package dev.slipway.indexer.metrics;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;

/** Folds matching samples and rollups into buckets per series, from doc values only. */
final class SeriesCollector extends SimpleCollector {

    private final long stepMillis;
    final Map<String, TreeMap<Long, Bucket>> series = new HashMap<>();
    private SortedDocValues keys;
    private NumericDocValues times;
    private NumericDocValues mins;
    private NumericDocValues maxes;
    private NumericDocValues sums;
    private NumericDocValues counts;

    SeriesCollector(long stepMillis) {
        this.stepMillis = stepMillis;
    }

    @Override
    protected void doSetNextReader(LeafReaderContext context) throws IOException {
        keys = DocValues.getSorted(context.reader(), MetricFields.SERIES);
        times = DocValues.getNumeric(context.reader(), MetricFields.TIME);
        mins = DocValues.getNumeric(context.reader(), MetricFields.MIN);
        maxes = DocValues.getNumeric(context.reader(), MetricFields.MAX);
        sums = DocValues.getNumeric(context.reader(), MetricFields.SUM);
        counts = DocValues.getNumeric(context.reader(), MetricFields.COUNT);
    }

    @Override
    public void collect(int doc) throws IOException {
        if (!keys.advanceExact(doc) || !times.advanceExact(doc) || !mins.advanceExact(doc) || !maxes.advanceExact(doc)
                || !sums.advanceExact(doc) || !counts.advanceExact(doc)) {
            return;
        }
        String key = keys.lookupOrd(keys.ordValue()).utf8ToString();
        long bucket = Math.floorDiv(times.longValue(), stepMillis) * stepMillis;
        series.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(bucket, b -> new Bucket())
                .add(Double.longBitsToDouble(mins.longValue()), Double.longBitsToDouble(maxes.longValue()),
                        Double.longBitsToDouble(sums.longValue()), counts.longValue());
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }
}
