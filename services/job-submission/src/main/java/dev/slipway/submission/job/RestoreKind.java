package dev.slipway.submission.job;

/** What a run starts from: a savepoint (triggered, a stop's, or given by the user) or a checkpoint Flink retained. */
public enum RestoreKind {
    SAVEPOINT,
    CHECKPOINT
}
