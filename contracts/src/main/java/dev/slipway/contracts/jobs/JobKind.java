package dev.slipway.contracts.jobs;

public enum JobKind {
    /** A Flink SQL script run by Slipway's SQL runner. */
    SQL,
    /** A user jar with an entry class. */
    JAR
}
