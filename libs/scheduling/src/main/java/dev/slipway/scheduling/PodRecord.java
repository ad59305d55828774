package dev.slipway.scheduling;

import dev.slipway.contracts.resources.PodRole;
import java.time.Instant;

/**
 * One pod of a cluster. {@code requestId} is the request it was provisioned for (null for JobManagers,
 * STATIC TaskManagers and warm TaskManagers); {@code idleSince} is when a warm pod became ready.
 */
public record PodRecord(
        String name,
        PodRole role,
        String requestId,
        PodStatus status,
        Instant decidedAt,
        Instant readyAt,
        String nodeName,
        Instant idleSince) {

    public boolean live() {
        return status.live();
    }

    public boolean taskManager() {
        return role == PodRole.TASK_MANAGER;
    }

    /** A live TaskManager that serves no request. */
    public boolean warm() {
        return taskManager() && live() && requestId == null;
    }

    PodRecord withStatus(PodStatus newStatus) {
        return new PodRecord(name, role, requestId, newStatus, decidedAt, readyAt, nodeName, idleSince);
    }

    PodRecord ready(Instant at, String node) {
        return new PodRecord(name, role, requestId, PodStatus.READY, decidedAt, at, node == null ? nodeName : node, idleSince);
    }

    PodRecord created(String node) {
        PodStatus next = status == PodStatus.PENDING ? PodStatus.CREATED : status;
        return new PodRecord(name, role, requestId, next, decidedAt, readyAt, node == null ? nodeName : node, idleSince);
    }

    PodRecord terminating() {
        return new PodRecord(name, role, null, PodStatus.TERMINATING, decidedAt, readyAt, nodeName, null);
    }
}
