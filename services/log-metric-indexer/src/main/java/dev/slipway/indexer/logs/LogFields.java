package dev.slipway.indexer.logs;

import dev.slipway.contracts.telemetry.LogRecord;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;

/** The Lucene fields of a log record, and the document built from one. */
public final class LogFields {

    /** Event id: the update term that makes a re-sent record replace itself, and the sort tie-breaker. */
    public static final String ID = "id";
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

    private LogFields() {
    }

    public static Term idTerm(String eventId) {
        return new Term(ID, eventId);
    }

    public static Document document(LogRecord record, byte[] json) {
        Document doc = new Document();
        doc.add(new StringField(ID, record.eventId(), Field.Store.NO));
        doc.add(new SortedDocValuesField(ID, new BytesRef(record.eventId())));
        long millis = record.occurredAt().toEpochMilli();
        doc.add(new LongPoint(TIME, millis));
        doc.add(new NumericDocValuesField(TIME, millis));
        doc.add(new StringField(CLUSTER, record.clusterId(), Field.Store.NO));
        doc.add(new StringField(POD, record.podName(), Field.Store.NO));
        if (record.jobId() != null) {
            doc.add(new StringField(JOB, record.jobId(), Field.Store.NO));
        }
        doc.add(new StringField(LEVEL, Levels.normalize(record.level()), Field.Store.NO));
        doc.add(new TextField(TEXT, record.message(), Field.Store.NO));
        if (record.logger() != null) {
            doc.add(new TextField(TEXT, record.logger(), Field.Store.NO));
        }
        doc.add(new StoredField(SOURCE, json));
        return doc;
    }
}
