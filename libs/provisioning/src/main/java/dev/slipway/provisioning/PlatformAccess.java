package dev.slipway.provisioning;

import java.util.Objects;

/**
 * How a pod's Flink process reaches the platform: the resource manager inside a JobManager calls the
 * scheduler's URL with the cluster's token; every process's metric reporter ships to {@code metrics}.
 *
 * @param metrics null when pods ship no metrics
 */
public record PlatformAccess(String schedulerUrl, String clusterToken, MetricsShipping metrics) {

    public PlatformAccess {
        Objects.requireNonNull(schedulerUrl, "schedulerUrl");
        Objects.requireNonNull(clusterToken, "clusterToken");
    }

    /** Access for the resource manager only: no metric reporter is configured. */
    public PlatformAccess(String schedulerUrl, String clusterToken) {
        this(schedulerUrl, clusterToken, null);
    }
}
