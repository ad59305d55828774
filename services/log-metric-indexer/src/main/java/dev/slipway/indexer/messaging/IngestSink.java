package dev.slipway.indexer.messaging;

import java.io.IOException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What an {@link IngestLoop} feeds: one store, written by the loop's thread only. */
interface IngestSink {

    /** Applies one record; returns null when done, else why it goes to the dead-letter topic. */
    String apply(ConsumerRecord<String, byte[]> record) throws IOException;

    /** Makes everything applied so far durable; offsets are committed only after this. */
    void commit() throws IOException;

    /** Periodic upkeep between polls (retention, rollups), on the loop's thread. */
    void maintain() throws IOException;
}
