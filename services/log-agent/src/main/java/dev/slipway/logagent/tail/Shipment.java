package dev.slipway.logagent.tail;

import dev.slipway.contracts.telemetry.LogRecord;

/**
 * A record read from a file, with where the file's acknowledged position moves once Kafka has it.
 */
public record Shipment(FileTailer tailer, int generation, long endOffset, LogRecord record) {
}
