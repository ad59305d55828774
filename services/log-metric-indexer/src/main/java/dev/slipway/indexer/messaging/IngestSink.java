package dev.slipway.indexer.messaging;

import java.io.IOException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What an {@link IngestLoop} feeds: one store, written by the loop's thread only. */
interface IngestSink {

    /** Applies one record; returns null when done, else why it goes to the dead-letter topic. */
    String apply(ConsumerRecord<String, byte[]> record) throws IOException;

    /**
     * Applies a polled batch; the answer holds, per record and in order, null or the dead-letter reason.
     * Sinks that can work on several records at once override this.
     */
    default String[] applyAll(List<ConsumerRecord<String, byte[]>> records) throws IOException {
        String[] reasons = new String[records.size()];
        for (int i = 0; i < reasons.length; i++) {
            reasons[i] = applyOne(this, records.get(i));
        }
        return reasons;
    }

    /** One record; a document Lucene refuses (e.g. a term over 32 KB) is a dead letter, not a stop. */
    static String applyOne(IngestSink sink, ConsumerRecord<String, byte[]> record) throws IOException {
        try {
            return sink.apply(record);
        } catch (IllegalArgumentException e) {
            return "UNINDEXABLE: " + e.getMessage();
        }
    }

    /** Makes everything applied so far durable; offsets are committed only after this. */
    void commit() throws IOException;

    /** Periodic upkeep between polls (retention, rollups), on the loop's thread. */
    void maintain() throws IOException;
}
