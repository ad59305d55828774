package dev.slipway.flink.metrics;

import java.util.Map;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** A metric group with a logical scope and scope variables, as Flink hands one to a reporter. */
final class ScopedGroup extends UnregisteredMetricsGroup implements LogicalScopeProvider {

    private final String logicalScope;
    private final Map<String, String> variables;

    ScopedGroup(String logicalScope, Map<String, String> variables) {
        this.logicalScope = logicalScope;
        this.variables = variables;
    }

    static ScopedGroup task(String jobId, String task, int subtask, String taskManager) {
        return new ScopedGroup("taskmanager.job.task", Map.of("<host>", "127.0.0.1", "<tm_id>", taskManager, "<job_id>", jobId,
                "<job_name>", "steady-stream", "<task_name>", task, "<task_id>", "v-" + task, "<subtask_index>",
                Integer.toString(subtask), "<task_attempt_num>", "0", "<task_attempt_id>", "a-" + task + subtask));
    }

    static ScopedGroup taskManagerHeap(String taskManager) {
        return new ScopedGroup("taskmanager.Status.JVM.Memory.Heap", Map.of("<host>", "127.0.0.1", "<tm_id>", taskManager));
    }

    static ScopedGroup jobManagerJob(String jobId) {
        return new ScopedGroup("jobmanager.job", Map.of("<host>", "127.0.0.1", "<job_id>", jobId, "<job_name>", "steady-stream"));
    }

    @Override
    public Map<String, String> getAllVariables() {
        return variables;
    }

    @Override
    public String getLogicalScope(CharacterFilter filter) {
        return logicalScope;
    }

    @Override
    public String getLogicalScope(CharacterFilter filter, char delimiter) {
        return logicalScope.replace('.', delimiter);
    }

    @Override
    public MetricGroup getWrappedMetricGroup() {
        return this;
    }
}
