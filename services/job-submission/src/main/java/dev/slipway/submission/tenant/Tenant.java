package dev.slipway.submission.tenant;

/** A caller's tenant and its quotas (0 means no limit). */
public record Tenant(String name, int maxClusters, int maxTaskManagers) {
}
