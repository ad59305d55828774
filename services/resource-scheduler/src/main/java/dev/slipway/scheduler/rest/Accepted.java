package dev.slipway.scheduler.rest;

/** The event a call appended: where to look for its outcome. */
public record Accepted(String clusterId, String eventId, String requestId) {
}
