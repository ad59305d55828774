package dev.slipway.submission.client;

import java.io.IOException;

/**
 * Where a cluster's JobManager answers REST calls. Blocking (it may ask another service): call it from
 * a worker thread, never the event loop.
 */
public interface JobManagerLocator {

    /**
     * The JobManager's REST base URL, e.g. {@code http://10.0.0.5:8081}; {@code tokenGeneration} is the cluster's current
     * one, for a locator that asks another service with the cluster's token.
     */
    String restUrl(String clusterId, long tokenGeneration) throws IOException;
}
