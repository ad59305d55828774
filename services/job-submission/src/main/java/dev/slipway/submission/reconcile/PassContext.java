package dev.slipway.submission.reconcile;

import dev.slipway.submission.Cluster;
import dev.slipway.submission.client.JobManagerLocator;
import dev.slipway.submission.cluster.Lifecycle;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** What one pass looked up once for all its jobs: their clusters and their JobManagers' REST addresses. */
final class PassContext {

    private final BlockingJobs jobs;
    private final JobManagerLocator locator;
    private final Map<String, Cluster> clusters = new HashMap<>();
    private final Map<String, String> urls = new HashMap<>();

    PassContext(BlockingJobs jobs, JobManagerLocator locator) {
        this.jobs = jobs;
        this.locator = locator;
    }

    /** The cluster, or null when there is none. */
    Cluster cluster(String id) {
        if (!clusters.containsKey(id)) {
            clusters.put(id, jobs.await(() -> jobs.service().cluster(id)));
        }
        return clusters.get(id);
    }

    /** The REST address of the cluster's JobManager; throws when it cannot be found. */
    String url(String clusterId) throws IOException {
        String url = urls.get(clusterId);
        if (url == null) {
            Cluster cluster = cluster(clusterId);
            url = locator.restUrl(clusterId, cluster == null ? 0 : cluster.tokenGeneration);
            urls.put(clusterId, url);
        }
        return url;
    }

    /** The JobManager did not answer: look it up again for the next job of the cluster. */
    void unreachable(String clusterId) {
        urls.remove(clusterId);
    }

    static boolean deleted(Cluster cluster) {
        return cluster == null || cluster.lifecycle != Lifecycle.ACTIVE;
    }
}
