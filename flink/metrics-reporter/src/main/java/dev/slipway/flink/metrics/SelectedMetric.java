package dev.slipway.flink.metrics;

import java.util.Map;

/**
 * A metric the reporter ships.
 *
 * @param name     the shipped name, e.g. {@code numRecordsOutPerSecond} or {@code Status.JVM.Memory.Heap.Used}
 * @param tags     job, jobName, task, subtask, taskmanager, pod, component (those that apply)
 * @param identity all of the metric group's scope variables, so two metrics of one name never share an event id
 */
public record SelectedMetric(String name, Map<String, String> tags, String identity) {

    public SelectedMetric {
        tags = Map.copyOf(tags);
    }
}
