package dev.slipway.indexer.logs;

import dev.slipway.contracts.telemetry.LogRecord;
import java.util.UUID;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.BytesRef;

/** The Lucene fields of a log record, and the document built from one. */
public final class LogFields {

    /** Event id: the update term that makes a re-sent record replace itself. */
    public static final String ID = "id";
    /**
     * 64 bits of the event id as numeric doc values: the sort tie-breaker between records of the same
     * millisecond. Sorted doc values of the id itself cost three times as much to index.
     */
    public static final String ID_BITS = "idbits";
    /** Epoch milliseconds: points for ranges, doc values for sorting (same name, so Lucene can skip non-competitive docs). */
    public static final String TIME = "ts";
    public static final String CLUSTER = "cluster";
    public static final String POD = "pod";
    public static final String JOB = "job";
    public static final String LEVEL = "level";
    /** Message and logger, analyzed by {@link LogAnalyzer}. */
    public static final String TEXT = "text";
    /** The record's JSON as it came from Kafka, returned as is. */
    public static final String SOURCE = "src";

    /**
     * Newest first, the order of every search: also the order of each segment on disk, so a page is read
     * from the head of each segment and the rest is skipped.
     */
    public static final Sort NEWEST_FIRST = new Sort(new SortField(TIME, SortField.Type.LONG, true),
            new SortField(ID_BITS, SortField.Type.LONG, true));

    private LogFields() {
    }

    public static Term idTerm(String eventId) {
        return new Term(ID, eventId);
    }

    /** The UUID's own bits folded to 64 (they are hash bits already), or a 64-bit FNV-1a hash of any other id. */
    public static long idBits(String eventId) {
        try {
            UUID uuid = UUID.fromString(eventId);
            return uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits();
        } catch (IllegalArgumentException e) {
            long hash = 0xcbf29ce484222325L;
            for (int i = 0; i < eventId.length(); i++) {
                hash = (hash ^ eventId.charAt(i)) * 0x100000001b3L;
            }
            return hash;
        }
    }

    public static Document document(LogRecord record, byte[] json) {
        Document doc = new Document();
        doc.add(new StringField(ID, record.eventId(), Field.Store.NO));
        doc.add(new NumericDocValuesField(ID_BITS, idBits(record.eventId())));
        long millis = record.occurredAt().toEpochMilli();
        doc.add(new LongPoint(TIME, millis));
        doc.add(new NumericDocValuesField(TIME, millis));
        doc.add(new StringField(CLUSTER, record.clusterId(), Field.Store.NO));
        doc.add(new StringField(POD, record.podName(), Field.Store.NO));
        if (record.jobId() != null) {
            doc.add(new StringField(JOB, record.jobId(), Field.Store.NO));
        }
        String level = Levels.normalize(record.level());
        doc.add(new StringField(LEVEL, level, Field.Store.NO));
        doc.add(new SortedDocValuesField(LEVEL, new BytesRef(level)));
        doc.add(new TextField(TEXT, record.message(), Field.Store.NO));
        if (record.logger() != null) {
            doc.add(new TextField(TEXT, record.logger(), Field.Store.NO));
        }
        doc.add(new StoredField(SOURCE, json));
        return doc;
    }
}
