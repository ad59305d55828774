package dev.slipway.provisioning;

import java.util.Objects;

/**
 * How a pod's Flink process reaches the platform: the resource manager inside a JobManager calls the
 * scheduler's URL with the cluster's token; every process's metric reporter ships to {@code metrics}.
 *
 * @param metrics null when pods ship no metrics
 * @param highAvailability how JobManagers elect their leader and keep their jobs; null when the platform offers none
 */
public record PlatformAccess(String schedulerUrl, String clusterToken, MetricsShipping metrics, HighAvailability highAvailability) {

    public PlatformAccess {
        Objects.requireNonNull(schedulerUrl, "schedulerUrl");
        Objects.requireNonNull(clusterToken, "clusterToken");
    }

    /** Access for the resource manager only: no metric reporter is configured. */
    public PlatformAccess(String schedulerUrl, String clusterToken) {
        this(schedulerUrl, clusterToken, null, null);
    }

    public PlatformAccess(String schedulerUrl, String clusterToken, MetricsShipping metrics) {
        this(schedulerUrl, clusterToken, metrics, null);
    }
}
