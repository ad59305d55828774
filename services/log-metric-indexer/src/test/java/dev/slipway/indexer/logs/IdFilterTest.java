package dev.slipway.indexer.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The filter that lets new ids skip Lucene's delete-by-term. */
class IdFilterTest {

    @Test
    void anIdIsNewOnceAndMaybePresentAfterwards() {
        IdFilter filter = new IdFilter();
        String id = UUID.randomUUID().toString();
        assertThat(filter.add(id)).isTrue();
        assertThat(filter.add(id)).isFalse();
        assertThat(filter.add(id)).isFalse();
    }

    @Test
    void aMillionDistinctIdsAreAlmostAllRecognisedAsNew() {
        IdFilter filter = new IdFilter();
        int falsePositives = 0;
        for (int i = 0; i < 1_000_000; i++) {
            if (!filter.add(new UUID(i * 0x9e3779b97f4a7c15L, i).toString())) {
                falsePositives++;
            }
        }
        // Each one only costs an update instead of an add; the documented rate at this size is far below 1%.
        assertThat(falsePositives).isLessThan(1_000);
    }
}
