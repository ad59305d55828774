package dev.slipway.contracts;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka header names of CloudEvents binary mode (the payload is the event's JSON) plus the W3C trace
 * context and the dead-letter headers.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    public static final String CONTENT_TYPE = "content-type";
    public static final String TRACEPARENT = "traceparent";

    public static final String SPEC_VERSION_VALUE = "1.0";
    public static final String JSON = "application/json";

    /** Why a record went to the dead-letter topic. */
    public static final String DEAD_LETTER_REASON = "slipway_dlq_reason";
    /** Where it came from: "topic/partition/offset". */
    public static final String DEAD_LETTER_ORIGIN = "slipway_dlq_origin";

    private CloudEventHeaders() {
    }

    /** The CloudEvents binary-mode headers of an event, in a stable order. */
    public static Map<String, String> of(SlipwayEvent event, String source) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, SPEC_VERSION_VALUE);
        headers.put(ID, event.eventId());
        headers.put(TYPE, EventTypes.ceType(event.getClass()));
        headers.put(SOURCE, source);
        headers.put(TIME, DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()));
        headers.put(SUBJECT, event.clusterId());
        headers.put(CONTENT_TYPE, JSON);
        return headers;
    }
}
