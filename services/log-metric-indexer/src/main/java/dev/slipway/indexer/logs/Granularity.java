package dev.slipway.indexer.logs;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How wide one log partition (one Lucene index) is. */
public enum Granularity {
    HOUR(ChronoUnit.HOURS),
    DAY(ChronoUnit.DAYS);

    private final ChronoUnit unit;

    Granularity(ChronoUnit unit) {
        this.unit = unit;
    }

    /** The start of the partition that holds {@code time}. */
    public Instant start(Instant time) {
        return time.truncatedTo(unit);
    }

    public Instant end(Instant start) {
        return start.plus(1, unit);
    }
}
