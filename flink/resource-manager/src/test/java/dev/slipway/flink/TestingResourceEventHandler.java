package dev.slipway.flink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.resourcemanager.active.ResourceEventHandler;

/** Flink's active resource manager as the driver sees it: records what it was told. */
final class TestingResourceEventHandler implements ResourceEventHandler<SlipwayWorker> {

    private final List<List<String>> recoveredReports = new ArrayList<>();
    private final Map<String, String> terminated = new TreeMap<>();
    private final List<String> terminations = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();

    @Override
    public void onPreviousAttemptWorkersRecovered(Collection<SlipwayWorker> recoveredWorkers) {
        recoveredReports.add(recoveredWorkers.stream().map(SlipwayWorker::podName).toList());
    }

    @Override
    public void onWorkerTerminated(ResourceID resourceId, String diagnostics) {
        terminations.add(resourceId.getResourceIdString());
        terminated.put(resourceId.getResourceIdString(), diagnostics);
    }

    @Override
    public void onError(Throwable exception) {
        errors.add(exception);
    }

    /** Each report of recovered workers, by pod name, in order. */
    List<List<String>> recoveredReports() {
        return List.copyOf(recoveredReports);
    }

    List<String> recovered() {
        return recoveredReports.stream().flatMap(List::stream).toList();
    }

    /** Every termination reported, in order (a pod reported twice shows twice). */
    List<String> terminations() {
        return List.copyOf(terminations);
    }

    /** The diagnostics given with each terminated worker. */
    Map<String, String> terminated() {
        return Map.copyOf(terminated);
    }

    List<Throwable> errors() {
        return List.copyOf(errors);
    }
}
