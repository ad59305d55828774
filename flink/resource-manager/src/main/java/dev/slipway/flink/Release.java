package dev.slipway.flink;

/** The body of {@code POST /api/v1/clusters/{id}/releases}: a TaskManager Flink no longer needs, and why. */
public record Release(String podName, String reason) {
}
