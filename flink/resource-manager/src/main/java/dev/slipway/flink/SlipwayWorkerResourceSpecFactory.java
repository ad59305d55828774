package dev.slipway.flink;

import org.apache.flink.api.common.resources.CPUResource;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.resourcemanager.WorkerResourceSpec;
import org.apache.flink.runtime.resourcemanager.WorkerResourceSpecFactory;

/** TaskManagers are sized by the cluster's configuration: one CPU unless {@code taskmanager.cpu.cores} says otherwise. */
final class SlipwayWorkerResourceSpecFactory extends WorkerResourceSpecFactory {

    static final SlipwayWorkerResourceSpecFactory INSTANCE = new SlipwayWorkerResourceSpecFactory();

    private SlipwayWorkerResourceSpecFactory() {
    }

    @Override
    public WorkerResourceSpec createDefaultWorkerResourceSpec(Configuration configuration) {
        double cores = configuration.getOptional(TaskManagerOptions.CPU_CORES).orElse(1.0);
        return workerResourceSpecFromConfigAndCpu(configuration, new CPUResource(cores));
    }
}
