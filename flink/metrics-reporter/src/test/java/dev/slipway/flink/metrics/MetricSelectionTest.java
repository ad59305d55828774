package dev.slipway.flink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MetricSelectionTest {

    private static final String JOB = "5f3c0a1e9b7d4c2a8e6f1b3d5a7c9e0f";

    @Test
    void aTasksRecordRateIsShippedWithJobTaskSubtaskTaskManagerAndPodTags() {
        ScopedGroup group = ScopedGroup.task(JOB, "sum-per-key", 1, "orders-tm-0");

        SelectedMetric selected = MetricSelection.select("numRecordsOutPerSecond", group.getLogicalScope(null),
                group.getAllVariables(), null).orElseThrow();

        assertThat(selected.name()).isEqualTo("numRecordsOutPerSecond");
        assertThat(selected.tags()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "job", JOB, "jobName", "steady-stream", "task", "sum-per-key", "subtask", "1",
                "taskmanager", "orders-tm-0", "pod", "orders-tm-0", "component", "taskmanager"));
    }

    @Test
    void theTaskManagersHeapIsShippedUnderItsFullNameAndTheNonHeapIsNot() {
        ScopedGroup heap = ScopedGroup.taskManagerHeap("orders-tm-0");
        ScopedGroup nonHeap = new ScopedGroup("taskmanager.Status.JVM.Memory.NonHeap", heap.getAllVariables());

        SelectedMetric selected = MetricSelection.select("Used", heap.getLogicalScope(null), heap.getAllVariables(), null)
                .orElseThrow();

        assertThat(selected.name()).isEqualTo("Status.JVM.Memory.Heap.Used");
        assertThat(selected.tags()).containsEntry("taskmanager", "orders-tm-0").containsEntry("pod", "orders-tm-0")
                .containsEntry("component", "taskmanager").doesNotContainKey("job");
        assertThat(MetricSelection.select("Used", nonHeap.getLogicalScope(null), nonHeap.getAllVariables(), null)).isEmpty();
        assertThat(MetricSelection.select("Committed", heap.getLogicalScope(null), heap.getAllVariables(), null)).isEmpty();
    }

    @Test
    void jobManagerJobMetricsCarryTheJobAndThePodFromTheConfiguration() {
        ScopedGroup job = ScopedGroup.jobManagerJob(JOB);

        for (String name : new String[] {"numRestarts", "lastCheckpointDuration", "lastCheckpointSize", "lastCheckpointFullSize"}) {
            SelectedMetric selected = MetricSelection.select(name, job.getLogicalScope(null), job.getAllVariables(), "orders-jm-0")
                    .orElseThrow();
            assertThat(selected.name()).isEqualTo(name);
            assertThat(selected.tags()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "job", JOB, "jobName", "steady-stream", "pod", "orders-jm-0", "component", "jobmanager"));
        }
    }

    @Test
    void theConfiguredPodWinsOverTheTaskManagerId() {
        ScopedGroup group = ScopedGroup.task(JOB, "generated", 0, "tm-resource-id");

        assertThat(MetricSelection.select("busyTimeMsPerSecond", group.getLogicalScope(null), group.getAllVariables(), "pod-a")
                .orElseThrow().tags()).containsEntry("pod", "pod-a").containsEntry("taskmanager", "tm-resource-id");
    }

    @Test
    void operatorCopiesOfTheTaskRatesAndOtherMetricsAreNotShipped() {
        Map<String, String> operatorVariables = new HashMap<>(ScopedGroup.task(JOB, "sum-per-key", 0, "tm").getAllVariables());
        operatorVariables.put("<operator_id>", "op-1");
        operatorVariables.put("<operator_name>", "sum-per-key");

        assertThat(MetricSelection.select("numRecordsOutPerSecond", "taskmanager.job.task.operator", operatorVariables, null))
                .isEmpty();
        ScopedGroup task = ScopedGroup.task(JOB, "sum-per-key", 0, "tm");
        assertThat(MetricSelection.select("numBytesOutPerSecond", task.getLogicalScope(null), task.getAllVariables(), null))
                .isEmpty();
        assertThat(MetricSelection.select("isBackPressured", task.getLogicalScope(null), task.getAllVariables(), null)).isEmpty();
        // A name that merely ends like a selected one is not it.
        assertThat(MetricSelection.select("mynumRestarts", "jobmanager.job", Map.of(), null)).isEmpty();
    }

    @Test
    void aTaskRateAndItsBackPressureAreShipped() {
        ScopedGroup task = ScopedGroup.task(JOB, "sum-per-key", 0, "tm");

        for (String name : new String[] {"numRecordsInPerSecond", "backPressuredTimeMsPerSecond", "busyTimeMsPerSecond"}) {
            Optional<SelectedMetric> selected = MetricSelection.select(name, task.getLogicalScope(null), task.getAllVariables(), null);
            assertThat(selected).map(SelectedMetric::name).contains(name);
        }
    }

    @Test
    void twoSubtasksOfOneTaskHaveDifferentIdentities() {
        ScopedGroup first = ScopedGroup.task(JOB, "sum-per-key", 0, "tm");
        ScopedGroup second = ScopedGroup.task(JOB, "sum-per-key", 1, "tm");

        assertThat(MetricSelection.select("busyTimeMsPerSecond", "taskmanager.job.task", first.getAllVariables(), null)
                .orElseThrow().identity())
                .isNotEqualTo(MetricSelection.select("busyTimeMsPerSecond", "taskmanager.job.task", second.getAllVariables(), null)
                        .orElseThrow().identity());
    }
}
