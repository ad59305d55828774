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
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;

/**
 * Runs a {@link LogQuery} over the partitions it touches: a page newest first, totals and counts per level.
 * Every clause is a filter (the order is by time, never by score), so Lucene can answer counts from term
 * statistics where the query allows it and skip records older than the page by the time points.
 */
public final class LogSearch {

    private static final Sort NEWEST_FIRST = LogFields.NEWEST_FIRST;
    private static final Set<String> SOURCE_ONLY = Set.of(LogFields.SOURCE);

    private final LogIndex index;
    private final EventCodec codec = new EventCodec();

    public LogSearch(LogIndex index) {
        this.index = index;
    }

    public LogPage search(LogQuery query) throws IOException {
        List<Query> base = filters(query);
        Query full = all(base, levels(query.levels()));
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
                next = Cursors.encode(new LogQuery.Cursor((Long) last.fields[0], (Long) last.fields[1]));
            }
            return new LogPage(searcher.count(full), countByLevel(searcher, base), records, next);
        } catch (TooManyClauses e) {
            throw new InvalidQueryException("the query expands to too many terms", e);
        }
    }

    /**
     * Matches per level. With at most one term filter, Lucene answers each count from term statistics;
     * otherwise one pass over the matches reads the level doc values (one pass, not one per level).
     */
    private static Map<String, Long> countByLevel(IndexSearcher searcher, List<Query> base) throws IOException {
        Map<String, Long> levels = new LinkedHashMap<>();
        Levels.ORDER.forEach(level -> levels.put(level, 0L));
        if (base.isEmpty() || (base.size() == 1 && base.get(0) instanceof TermQuery)) {
            for (String level : Levels.ORDER) {
                levels.put(level, (long) searcher.count(all(base, levels(Set.of(level)))));
            }
        } else {
            searcher.search(all(base, null), LevelCounter.manager()).forEach((level, count) -> levels.merge(level, count, Long::sum));
        }
        return levels;
    }

    /** Every filter but the level. */
    private static List<Query> filters(LogQuery query) {
        List<Query> filters = new ArrayList<>();
        if (query.text() != null && !query.text().isBlank()) {
            filters.add(text(query.text()));
        }
        term(filters, LogFields.CLUSTER, query.clusterId());
        term(filters, LogFields.JOB, query.jobId());
        term(filters, LogFields.POD, query.pod());
        if (query.from() != null || query.to() != null) {
            long from = query.from() == null ? Long.MIN_VALUE : query.from().toEpochMilli();
            long to = query.to() == null ? Long.MAX_VALUE : query.to().toEpochMilli() - 1;
            filters.add(LongPoint.newRangeQuery(LogFields.TIME, from, to));
        }
        return filters;
    }

    private static Query levels(Set<String> levels) {
        if (levels.isEmpty()) {
            return null;
        }
        if (levels.size() == 1) {
            return new TermQuery(new Term(LogFields.LEVEL, Levels.normalize(levels.iterator().next())));
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        levels.forEach(level -> any.add(new TermQuery(new Term(LogFields.LEVEL, Levels.normalize(level))), BooleanClause.Occur.SHOULD));
        return any.build();
    }

    /** The conjunction of the filters; a single one stays itself, so its count can come from term statistics. */
    private static Query all(List<Query> filters, Query levels) {
        List<Query> clauses = new ArrayList<>(filters);
        if (levels != null) {
            clauses.add(levels);
        }
        if (clauses.isEmpty()) {
            return new MatchAllDocsQuery();
        }
        if (clauses.size() == 1) {
            return clauses.get(0);
        }
        BooleanQuery.Builder bool = new BooleanQuery.Builder();
        clauses.forEach(clause -> bool.add(clause, BooleanClause.Occur.FILTER));
        return bool.build();
    }

    private static Query text(String text) {
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

    private static void term(List<Query> filters, String field, String value) {
        if (value != null && !value.isBlank()) {
            filters.add(new TermQuery(new Term(field, value)));
        }
    }

    /**
     * The cursor as Lucene's "after" position. Its doc is the last one, so that only a doc with the very
     * same time and id bits, the cursor's own record, could tie, and ties after the last doc do not exist.
     */
    private static FieldDoc after(LogQuery.Cursor cursor, IndexSearcher searcher) {
        int lastDoc = searcher.getIndexReader().maxDoc() - 1;
        return new FieldDoc(lastDoc, Float.NaN, new Object[] {cursor.timeMillis(), cursor.idBits()});
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
