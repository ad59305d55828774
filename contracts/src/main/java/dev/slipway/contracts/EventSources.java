package dev.slipway.contracts;

/** CloudEvents {@code ce_source} values: which part of the platform produced an event. */
public final class EventSources {

    public static final String JOB_SUBMISSION = "/slipway/job-submission";
    public static final String RESOURCE_SCHEDULER = "/slipway/resource-scheduler";
    public static final String POD_PROVISIONER = "/slipway/pod-provisioner";
    public static final String LOG_AGENT = "/slipway/log-agent";
    public static final String METRICS_REPORTER = "/slipway/flink-metrics-reporter";

    private EventSources() {
    }
}
