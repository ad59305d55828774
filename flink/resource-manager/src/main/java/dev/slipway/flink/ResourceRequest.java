package dev.slipway.flink;

/**
 * The body of {@code POST /api/v1/clusters/{id}/resource-requests}: {@code count} TaskManagers of one size. The request id
 * is the idempotency key: the same id again is the same request, and the pod that serves it carries it.
 */
public record ResourceRequest(String requestId, int count, TaskManagerSize taskManager) {

    /** A TaskManager's size as the platform provisions it; {@code diskMb} 0 asks for no explicit disk limit. */
    public record TaskManagerSize(double cpu, int memoryMb, int diskMb) {
    }
}
