package dev.slipway.contracts;

/**
 * Kafka topic names. Every record on every topic is keyed by the cluster id, so one cluster's events
 * keep one total order within a partition.
 */
public final class Topics {

    /** Every fact scheduling depends on, in one order per cluster: specs, requests, pod facts, ticks. */
    public static final String RESOURCES = "slipway.resources.v1";
    /** The scheduler's output: provision pod, delete pod, refusals and health changes. */
    public static final String DECISIONS = "slipway.decisions.v1";
    /** Job lifecycle. */
    public static final String JOBS = "slipway.jobs.v1";
    /** JobManager and TaskManager log records shipped by the node log agent. */
    public static final String LOGS = "slipway.logs.v1";
    /** Metric samples from the Flink metric reporter. */
    public static final String METRICS = "slipway.metrics.v1";
    /** The resource-scheduler's own state snapshots (compacted, keyed by cluster id), so a rebuild reads only the tail. */
    public static final String SCHEDULER_SNAPSHOTS = "slipway.scheduler-snapshots.v1";
    /** Cluster token revocations (compacted, keyed by cluster id): each cluster's newest token generation. */
    public static final String CREDENTIALS = "slipway.credentials.v1";
    /** Records that could not be processed, with the reason in headers. Never dropped. */
    public static final String DEAD_LETTER = "slipway.dead-letter.v1";

    private Topics() {
    }
}
