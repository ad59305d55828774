package dev.slipway.contracts.json;

import dev.slipway.contracts.SlipwayEvent;
import java.util.List;

/** What became of one payload: an event (perhaps with fields this version does not know) or a rejection. */
public sealed interface DecodeResult<T extends SlipwayEvent> {

    /**
     * A known event. {@code unknownFields} lists JSON paths this version ignored (written by a newer
     * producer); the event is still valid, the consumer should report them, not fail.
     */
    record Decoded<T extends SlipwayEvent>(T event, List<String> unknownFields) implements DecodeResult<T> {
        public Decoded {
            unknownFields = List.copyOf(unknownFields);
        }
    }

    /** Not an event this version can use; the reason says why, for the dead-letter topic. */
    record Rejected<T extends SlipwayEvent>(Rejection kind, String reason) implements DecodeResult<T> {

        /** The dead-letter reason: kind and detail, e.g. {@code MALFORMED: not JSON: ...}. */
        public String describe() {
            return kind + ": " + reason;
        }
    }

    enum Rejection {
        /** Valid JSON of an event type this version does not know (a newer producer, a typo). */
        UNKNOWN_TYPE,
        /** Not JSON, or a known type whose fields are missing or invalid. */
        MALFORMED,
        /** A known event that does not belong on this topic (e.g. a decision on the resources topic). */
        WRONG_FAMILY
    }
}
