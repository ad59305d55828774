package dev.slipway.provisioning;

import java.util.Objects;

/** How the resource manager inside a JobManager reaches the platform: the scheduler's URL and the cluster's token. */
public record PlatformAccess(String schedulerUrl, String clusterToken) {

    public PlatformAccess {
        Objects.requireNonNull(schedulerUrl, "schedulerUrl");
        Objects.requireNonNull(clusterToken, "clusterToken");
    }
}
