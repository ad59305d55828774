package dev.slipway.indexer.metrics;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.util.BytesRef;

/**
 * A metric document is a raw sample (kind=raw, count 1) or a rollup of one bucket (kind=rollup); both
 * carry min, max, sum and count as doc values, so a query aggregates them the same way.
 */
final class MetricFields {

    static final String ID = "id";
    static final String KIND = "kind";
    static final String RAW = "raw";
    static final String ROLLUP = "rollup";
    static final String NAME = "name";
    static final String CLUSTER = "cluster";
    /**
     * "name|cluster|k=v,k=v", every part URL-encoded (a job name may hold any of ",=|"): one series, as
     * doc values, so a query groups without stored fields.
     */
    static final String SERIES = "series";
    static final String TAG_PREFIX = "tag.";
    static final String TIME = "ts";
    static final String MIN = "min";
    static final String MAX = "max";
    static final String SUM = "sum";
    static final String COUNT = "count";

    private MetricFields() {
    }

    static String seriesKey(String name, String clusterId, Map<String, String> tags) {
        StringJoiner joined = new StringJoiner(",");
        new TreeMap<>(tags).forEach((key, value) -> joined.add(encode(key) + "=" + encode(value)));
        return encode(name) + "|" + encode(clusterId) + "|" + joined;
    }

    static SeriesId parse(String seriesKey) {
        String[] parts = seriesKey.split("\\|", 3);
        Map<String, String> tags = new TreeMap<>();
        if (!parts[2].isEmpty()) {
            for (String pair : parts[2].split(",")) {
                int eq = pair.indexOf('=');
                tags.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return new SeriesId(decode(parts[0]), decode(parts[1]), tags);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** Name, cluster and tags of one series. */
    record SeriesId(String name, String clusterId, Map<String, String> tags) {
    }

    static Document document(String kind, SeriesId series, long timeMillis, double min, double max, double sum, long count) {
        Document doc = new Document();
        doc.add(new StringField(KIND, kind, Field.Store.NO));
        doc.add(new StringField(NAME, series.name(), Field.Store.NO));
        doc.add(new StringField(CLUSTER, series.clusterId(), Field.Store.NO));
        series.tags().forEach((key, value) -> doc.add(new StringField(TAG_PREFIX + key, value, Field.Store.NO)));
        doc.add(new SortedDocValuesField(SERIES, new BytesRef(seriesKey(series.name(), series.clusterId(), series.tags()))));
        doc.add(new LongPoint(TIME, timeMillis));
        doc.add(new NumericDocValuesField(TIME, timeMillis));
        doc.add(new NumericDocValuesField(MIN, Double.doubleToRawLongBits(min)));
        doc.add(new NumericDocValuesField(MAX, Double.doubleToRawLongBits(max)));
        doc.add(new NumericDocValuesField(SUM, Double.doubleToRawLongBits(sum)));
        doc.add(new NumericDocValuesField(COUNT, count));
        return doc;
    }
}
