package dev.slipway.indexer.logs;

import dev.slipway.contracts.telemetry.LogRecord;
import java.util.List;
import java.util.Map;

/**
 * One page of a search, newest first. {@code total} matches the whole query; {@code levels} counts the
 * matches per level with every filter but the level one, so a console can show what the other levels hold.
 * {@code nextCursor} is null on the last page.
 */
public record LogPage(long total, Map<String, Long> levels, List<LogRecord> records, String nextCursor) {
}
