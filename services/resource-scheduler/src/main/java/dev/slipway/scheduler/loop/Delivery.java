package dev.slipway.scheduler.loop;

/** How decisions are published relative to the consumed offsets. */
public enum Delivery {
    /**
     * Decisions are sent and acknowledged, then the offsets are committed. After a crash the
     * decisions of the uncommitted tail are published again, with the same deterministic ids, which
     * consumers skip. Faster: no transaction round trips, and decisions are readable at once.
     */
    AT_LEAST_ONCE,
    /** Decisions, snapshots and offsets in one Kafka transaction: each decision appears exactly once. */
    EXACTLY_ONCE
}
