package dev.slipway.rest.problems;

import com.fasterxml.jackson.core.JsonProcessingException;

/** A Jackson error raised inside a reactive pipeline; answered like any unreadable body, with the field. */
public final class UnreadableBody extends RuntimeException {

    public UnreadableBody(JsonProcessingException cause) {
        super(cause.getOriginalMessage(), cause);
    }

    public JsonProcessingException json() {
        return (JsonProcessingException) getCause();
    }
}
