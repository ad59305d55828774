package dev.slipway.flink;

/**
 * A pod as the platform reports it ({@code GET /api/v1/clusters/{id}/pods} and its stream): only what
 * the resource manager needs.
 */
public record PlatformPod(String name, String role, String requestId, String status) {

    public boolean taskManager() {
        return "TASK_MANAGER".equals(role);
    }

    /** Deletion decided or done: the worker is gone for Flink. */
    public boolean terminating() {
        return "TERMINATING".equals(status);
    }
}
