package dev.slipway.indexer.logs;

import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.json.EventCodec;
import dev.slipway.contracts.telemetry.LogRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.IndexSearcher.TooManyClauses;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;

/** Runs a {@link LogQuery} over the partitions it touches: a page newest first, totals and counts per level. */
public final class LogSearch {

    private static final Sort NEWEST_FIRST = new Sort(new SortField(LogFields.TIME, SortField.Type.LONG, true),
            new SortField(LogFields.ID, SortField.Type.STRING, true));
    private static final Set<String> SOURCE_ONLY = Set.of(LogFields.SOURCE);

    private final LogIndex index;
    private final EventCodec codec = new EventCodec();

    public LogSearch(LogIndex index) {
        this.index = index;
    }

    public LogPage search(LogQuery query) throws IOException {
        Query base = base(query);
        Query full = withLevels(base, query.levels());
        try (LogIndex.View view = index.acquire(query.from(), query.to())) {
            IndexSearcher searcher = view.searcher();
            TopDocs top = query.cursor() == null
                    ? searcher.search(full, query.limit(), NEWEST_FIRST)
                    : searcher.searchAfter(after(query.cursor(), searcher), full, query.limit(), NEWEST_FIRST);
            List<LogRecord> records = new ArrayList<>(top.scoreDocs.length);
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc hit : top.scoreDocs) {
                records.add(decode(stored.document(hit.doc, SOURCE_ONLY).getBinaryValue(LogFields.SOURCE)));
            }
            String next = null;
            if (top.scoreDocs.length == query.limit()) {
                FieldDoc last = (FieldDoc) top.scoreDocs[top.scoreDocs.length - 1];
                next = Cursors.encode(new LogQuery.Cursor((Long) last.fields[0], ((BytesRef) last.fields[1]).utf8ToString()));
            }
            Map<String, Long> levels = new LinkedHashMap<>();
            for (String level : Levels.ORDER) {
                levels.put(level, (long) searcher.count(withLevels(base, Set.of(level))));
            }
            return new LogPage(searcher.count(full), levels, records, next);
        } catch (TooManyClauses e) {
            throw new InvalidQueryException("the query expands to too many terms", e);
        }
    }

    /** Every filter but the level. */
    private static Query base(LogQuery query) {
        BooleanQuery.Builder bool = new BooleanQuery.Builder();
        bool.add(text(query.text()), BooleanClause.Occur.MUST);
        filter(bool, LogFields.CLUSTER, query.clusterId());
        filter(bool, LogFields.JOB, query.jobId());
        filter(bool, LogFields.POD, query.pod());
        if (query.from() != null || query.to() != null) {
            long from = query.from() == null ? Long.MIN_VALUE : query.from().toEpochMilli();
            long to = query.to() == null ? Long.MAX_VALUE : query.to().toEpochMilli() - 1;
            bool.add(LongPoint.newRangeQuery(LogFields.TIME, from, to), BooleanClause.Occur.FILTER);
        }
        return bool.build();
    }

    private static Query withLevels(Query base, Set<String> levels) {
        if (levels.isEmpty()) {
            return base;
        }
        return new BooleanQuery.Builder()
                .add(base, BooleanClause.Occur.MUST)
                .add(new TermInSetQuery(LogFields.LEVEL, levels.stream().map(Levels::normalize).map(BytesRef::new).toList()),
                        BooleanClause.Occur.FILTER)
                .build();
    }

    private static Query text(String text) {
        if (text == null || text.isBlank()) {
            return new MatchAllDocsQuery();
        }
        QueryParser parser = new QueryParser(LogFields.TEXT, new LogAnalyzer());
        parser.setDefaultOperator(QueryParser.Operator.AND);
        // "java.lang.IllegalStateException" is three tokens here: find them in that order, not anywhere.
        parser.setSplitOnWhitespace(true);
        parser.setAutoGeneratePhraseQueries(true);
        try {
            return parser.parse(text);
        } catch (ParseException | RuntimeException e) {
            throw new InvalidQueryException(e.getMessage(), e);
        }
    }

    private static void filter(BooleanQuery.Builder bool, String field, String value) {
        if (value != null && !value.isBlank()) {
            bool.add(new TermQuery(new Term(field, value)), BooleanClause.Occur.FILTER);
        }
    }

    /**
     * The cursor as Lucene's "after" position. Its doc is the last one, so that only a doc with the very
     * same time and id, the cursor's own record, could tie, and ties after the last doc do not exist.
     */
    private static FieldDoc after(LogQuery.Cursor cursor, IndexSearcher searcher) {
        int lastDoc = searcher.getIndexReader().maxDoc() - 1;
        return new FieldDoc(lastDoc, Float.NaN, new Object[] {cursor.timeMillis(), new BytesRef(cursor.eventId())});
    }

    private LogRecord decode(BytesRef json) {
        byte[] bytes = new byte[json.length];
        System.arraycopy(json.bytes, json.offset, bytes, 0, json.length);
        DecodeResult<LogRecord> decoded = codec.decode(bytes, null, LogRecord.class);
        if (decoded instanceof DecodeResult.Decoded<LogRecord> record) {
            return record.event();
        }
        // Only records that decoded are indexed, so this means the stored copy is damaged.
        throw new IllegalStateException("stored log record does not decode: " + ((DecodeResult.Rejected<LogRecord>) decoded).describe());
    }
}
