package dev.slipway.flink;

import org.apache.flink.api.common.resources.CPUResource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.resourcemanager.WorkerResourceSpec;
import org.apache.flink.runtime.resourcemanager.WorkerResourceSpecFactory;

/**
 * TaskManagers are sized by the cluster's configuration, exactly as a TaskManager sizes itself
 * ({@code taskmanager.cpu.cores}, else one core per slot): Flink matches a registration against the
 * requested spec, and a mismatch fails the registration.
 */
final class SlipwayWorkerResourceSpecFactory extends WorkerResourceSpecFactory {

    static final SlipwayWorkerResourceSpecFactory INSTANCE = new SlipwayWorkerResourceSpecFactory();

    private SlipwayWorkerResourceSpecFactory() {
    }

    @Override
    public WorkerResourceSpec createDefaultWorkerResourceSpec(Configuration configuration) {
        double cores = configuration.getOptional(TaskManagerOptions.CPU_CORES)
                .orElse((double) configuration.get(TaskManagerOptions.NUM_TASK_SLOTS));
        return workerResourceSpecFromConfigAndCpu(configuration, new CPUResource(cores));
    }
}
