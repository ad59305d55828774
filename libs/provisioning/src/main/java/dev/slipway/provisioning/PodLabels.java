package dev.slipway.provisioning;

import dev.slipway.contracts.resources.PodRole;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels by which the platform finds its pods again; a user's template cannot change them. */
public final class PodLabels {

    public static final String CLUSTER = "slipway.dev/cluster";
    public static final String ROLE = "slipway.dev/role";
    public static final String REQUEST = "slipway.dev/request";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "slipway";

    private PodLabels() {
    }

    public static Map<String, String> of(String clusterId, PodRole role, String requestId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(CLUSTER, clusterId);
        labels.put(ROLE, roleValue(role));
        if (requestId != null) {
            labels.put(REQUEST, requestId);
        }
        return labels;
    }

    public static String roleValue(PodRole role) {
        return role == PodRole.JOB_MANAGER ? "jobmanager" : "taskmanager";
    }

    public static PodRole role(String value) {
        if ("jobmanager".equals(value)) {
            return PodRole.JOB_MANAGER;
        }
        return "taskmanager".equals(value) ? PodRole.TASK_MANAGER : null;
    }
}
