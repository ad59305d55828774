package dev.slipway.indexer.logs;

import java.time.Instant;
import java.util.Set;

/**
 * A log search: free text over message and logger (Lucene syntax), exact filters, a time range
 * [from, to) with open ends where null, a page size and the cursor of the previous page.
 */
public record LogQuery(String text, Set<String> levels, String clusterId, String jobId, String pod, Instant from, Instant to,
        int limit, Cursor cursor) {

    public LogQuery {
        levels = levels == null ? Set.of() : Set.copyOf(levels);
    }

    /** Where the previous page ended: the last record's time and id bits (newest first, id bits descending on ties). */
    public record Cursor(long timeMillis, long idBits) {
    }
}
