package dev.slipway.submission.cluster;

/**
 * A cluster's status from what is known of it: the user's lifecycle, the scheduler's health and its pods.
 * Pure, so the same facts always give the same status whatever order of redelivery brought them.
 */
public final class StatusRules {

    private StatusRules() {
    }

    public record Facts(
            Lifecycle lifecycle,
            boolean schedulerDegraded,
            String schedulerReason,
            boolean everRunning,
            String jobManagerFailure,
            boolean jobManagerReady,
            int livePods) {
    }

    public record Status(ClusterStatus status, String reason) {
    }

    public static Status derive(Facts facts) {
        switch (facts.lifecycle()) {
            case DELETED:
                return new Status(ClusterStatus.DELETED, null);
            case DELETING:
                return new Status(ClusterStatus.DELETING, facts.livePods() + " pod" + (facts.livePods() == 1 ? "" : "s")
                        + " still to go");
            default:
                break;
        }
        if (facts.schedulerDegraded()) {
            return new Status(ClusterStatus.DEGRADED, facts.schedulerReason());
        }
        if (facts.jobManagerReady()) {
            return new Status(ClusterStatus.RUNNING, null);
        }
        if (facts.everRunning()) {
            return new Status(ClusterStatus.DEGRADED, "no JobManager is ready"
                    + (facts.jobManagerFailure() == null ? "" : ": " + facts.jobManagerFailure()));
        }
        return new Status(ClusterStatus.PROVISIONING, facts.jobManagerFailure());
    }

    /** Whether a deleting cluster is gone: none of its pods is known to live. */
    public static boolean deletionComplete(Lifecycle lifecycle, int livePods) {
        return lifecycle == Lifecycle.DELETING && livePods == 0;
    }
}
