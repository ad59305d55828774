package dev.slipway.flink;

/**
 * A pod as the platform reports it, in {@code GET /api/v1/clusters/{id}/pods} and in each event of its stream: only what
 * the resource manager reads (the platform sends more, which is skipped). {@code requestId} is the request the pod serves,
 * null for warm pods and JobManagers.
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
