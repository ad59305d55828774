package dev.slipway.indexer.logs;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;

/** Counts matches per level from the level doc values, by ordinal within a segment. */
final class LevelCounter extends SimpleCollector {

    private final Map<String, Long> counts = new HashMap<>();
    private SortedDocValues levels;
    private long[] byOrd = new long[0];

    static CollectorManager<LevelCounter, Map<String, Long>> manager() {
        return new CollectorManager<>() {
            @Override
            public LevelCounter newCollector() {
                return new LevelCounter();
            }

            @Override
            public Map<String, Long> reduce(Collection<LevelCounter> collectors) throws IOException {
                Map<String, Long> total = new HashMap<>();
                for (LevelCounter collector : collectors) {
                    collector.finishSegment();
                    collector.counts.forEach((level, count) -> total.merge(level, count, Long::sum));
                }
                return total;
            }
        };
    }

    @Override
    protected void doSetNextReader(LeafReaderContext context) throws IOException {
        finishSegment();
        levels = DocValues.getSorted(context.reader(), LogFields.LEVEL);
        byOrd = new long[levels.getValueCount()];
    }

    @Override
    public void collect(int doc) throws IOException {
        if (levels.advanceExact(doc)) {
            byOrd[levels.ordValue()]++;
        }
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }

    private void finishSegment() throws IOException {
        for (int ord = 0; ord < byOrd.length; ord++) {
            if (byOrd[ord] > 0) {
                counts.merge(levels.lookupOrd(ord).utf8ToString(), byOrd[ord], Long::sum);
            }
        }
        byOrd = new long[0];
    }
}
