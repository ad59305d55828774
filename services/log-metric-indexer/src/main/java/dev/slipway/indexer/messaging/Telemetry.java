package dev.slipway.indexer.messaging;

import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.telemetry.TelemetryEvent;
import dev.slipway.messaging.EventRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Decodes a telemetry record that must be of one type and keyed by its own cluster id. */
final class Telemetry {

    private Telemetry() {
    }

    /** The event, or a {@link String} with the dead-letter reason. */
    static Object decode(ConsumerRecord<String, byte[]> record, Class<? extends TelemetryEvent> expected) {
        DecodeResult<TelemetryEvent> decoded = EventRecords.decode(record, TelemetryEvent.class);
        if (decoded instanceof DecodeResult.Rejected<TelemetryEvent> rejected) {
            return rejected.describe();
        }
        TelemetryEvent event = ((DecodeResult.Decoded<TelemetryEvent>) decoded).event();
        if (!expected.isInstance(event)) {
            return "WRONG_TOPIC: a " + event.getClass().getSimpleName() + " on " + record.topic();
        }
        if (!event.clusterId().equals(record.key())) {
            return "KEY_MISMATCH: record key '" + record.key() + "' is not the event's cluster id '" + event.clusterId() + "'";
        }
        return event;
    }
}
