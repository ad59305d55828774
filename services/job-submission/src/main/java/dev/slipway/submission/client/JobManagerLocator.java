package dev.slipway.submission.client;

import java.io.IOException;

/**
 * Where a cluster's JobManager answers REST calls. Blocking (it may ask another service): call it from
 * a worker thread, never the event loop.
 */
public interface JobManagerLocator {

    /** The JobManager's REST base URL, e.g. {@code http://10.0.0.5:8081}. */
    String restUrl(String clusterId) throws IOException;
}
