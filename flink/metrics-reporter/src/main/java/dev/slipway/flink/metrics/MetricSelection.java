package dev.slipway.flink.metrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which of Flink's metrics the platform ships, under which name and with which tags. Pure: it sees a
 * metric's name, its group's logical scope (e.g. {@code taskmanager.job.task}) and the group's scope
 * variables (e.g. {@code <job_id>}), never the metric itself.
 */
public final class MetricSelection {

    /** Shipped names; a metric matches when its logical scope and name end with one of them. */
    public static final List<String> NAMES = List.of(
            "numRecordsInPerSecond",
            "numRecordsOutPerSecond",
            "backPressuredTimeMsPerSecond",
            "busyTimeMsPerSecond",
            "lastCheckpointDuration",
            "lastCheckpointSize",
            "lastCheckpointFullSize",
            "numRestarts",
            "Status.JVM.Memory.Heap.Used");

    /** Tag names, the vocabulary the indexer's queries use. */
    public static final String JOB = "job";
    public static final String JOB_NAME = "jobName";
    public static final String TASK = "task";
    public static final String SUBTASK = "subtask";
    public static final String TASK_MANAGER = "taskmanager";
    public static final String POD = "pod";
    /** {@code jobmanager} or {@code taskmanager}: the first part of the logical scope. */
    public static final String COMPONENT = "component";

    /** Flink's scope variables (ScopeFormat) and the tag each becomes. */
    private static final Map<String, String> TAG_OF_VARIABLE = Map.of(
            "<job_id>", JOB,
            "<job_name>", JOB_NAME,
            "<task_name>", TASK,
            "<subtask_index>", SUBTASK,
            "<tm_id>", TASK_MANAGER);
    private static final String OPERATOR_ID = "<operator_id>";

    private MetricSelection() {
    }

    /**
     * The metric as the platform ships it, or empty when it is not shipped. Operator-level copies of the
     * task's I/O rates are left out: the task's own ones carry the same numbers once per task.
     *
     * @param pod the pod this process runs in, or null to use the TaskManager id
     */
    public static Optional<SelectedMetric> select(String metricName, String logicalScope, Map<String, String> variables,
            String pod) {
        if (variables.containsKey(OPERATOR_ID)) {
            return Optional.empty();
        }
        String qualified = logicalScope == null || logicalScope.isEmpty() ? metricName : logicalScope + "." + metricName;
        return NAMES.stream()
                .filter(name -> qualified.equals(name) || qualified.endsWith("." + name))
                .findFirst()
                .map(name -> new SelectedMetric(name, tags(logicalScope, variables, pod), identity(variables)));
    }

    static Map<String, String> tags(String logicalScope, Map<String, String> variables, String pod) {
        Map<String, String> tags = new TreeMap<>();
        TAG_OF_VARIABLE.forEach((variable, tag) -> {
            String value = variables.get(variable);
            if (value != null && !value.isEmpty()) {
                tags.put(tag, value);
            }
        });
        String podName = pod != null ? pod : tags.get(TASK_MANAGER);
        if (podName != null) {
            tags.put(POD, podName);
        }
        if (logicalScope != null && !logicalScope.isEmpty()) {
            int dot = logicalScope.indexOf('.');
            tags.put(COMPONENT, dot < 0 ? logicalScope : logicalScope.substring(0, dot));
        }
        return tags;
    }

    /** Every scope variable, sorted: what tells two metrics of one name apart (attempt and vertex ids included). */
    private static String identity(Map<String, String> variables) {
        return new TreeMap<>(variables).toString();
    }
}
