package dev.slipway.provisioner.simulated;

import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.provisioning.PodFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated pod and its whole life, drawn when it was created: when it is ready (or how it fails instead), whether it
 * is killed later, and, once deleted, when it is gone. Kept as {@code <root>/<cluster>/<pod>.json}: since the future is
 * written down, the file changes only when the pod is deleted, and any provisioner that reads it knows what happened while
 * nobody watched and what is still to come.
 *
 * @param node the simulated node; with {@code slot} it makes the pod's address
 * @param slot the pod's place on its node, 0 to pods-per-node - 1
 * @param readyAt when it becomes ready; null for a pod that fails before it is ready
 * @param failure how and when it fails (before ready, or killed while it runs); null for one that runs until deleted
 * @param deletion when its deletion was asked for and when it completes; null until then
 * @param deleted the tombstone: gone, and reported so; a redelivered decision does not bring it back
 */
record SimulatedPod(String clusterId, String podName, PodRole role, String requestId, String node, int slot, Instant createdAt,
        Instant readyAt, Failure failure, Deletion deletion, boolean deleted) {

    /** Where the pod's process would listen: each slot of a node has its own port, so addresses are unique. */
    static final int PORT_BASE = 40000;

    record Failure(Instant at, String reason, Integer exitCode, String message) {
    }

    record Deletion(Instant requestedAt, Instant completesAt) {
    }

    /** The states a pod reports, in the only order it may report them. */
    enum Kind {
        CREATED,
        READY,
        FAILED,
        DELETED
    }

    record Step(Kind kind, Instant at) {
    }

    String key() {
        return key(clusterId, podName);
    }

    static String key(String clusterId, String podName) {
        return clusterId + "/" + podName;
    }

    String address() {
        return node + ":" + (PORT_BASE + slot);
    }

    /**
     * The pod's life as facts to report, in order. Nothing happens to a pod after its deletion was asked for but its
     * deletion (as Kubernetes reports neither readiness nor failure of a terminating pod), so the steps reported before a
     * deletion stay the first steps after it.
     */
    List<Step> steps() {
        List<Step> steps = new ArrayList<>(4);
        steps.add(new Step(Kind.CREATED, createdAt));
        if (readyAt != null && beforeDeletion(readyAt)) {
            steps.add(new Step(Kind.READY, readyAt));
        }
        if (failure != null && beforeDeletion(failure.at())) {
            steps.add(new Step(Kind.FAILED, failure.at()));
        }
        if (deletion != null) {
            steps.add(new Step(Kind.DELETED, deletion.completesAt()));
        }
        return steps;
    }

    /** The fact of one of this pod's steps, stamped with the instant the step happened (not when it was noticed). */
    PodFact fact(Step step) {
        return switch (step.kind()) {
            case CREATED -> PodFacts.created(clusterId, podName, role, requestId, node, step.at());
            case READY -> PodFacts.ready(clusterId, podName, role, node, address(), step.at());
            case FAILED -> PodFacts.failed(clusterId, podName, failure.reason(), failure.exitCode(), failure.message(), step.at());
            case DELETED -> PodFacts.deleted(clusterId, podName, step.at());
        };
    }

    /** Whether the pod takes room on its node at {@code now}: not failed and not gone by then. */
    boolean holdsSlotAt(Instant now) {
        return steps().stream().noneMatch(step -> (step.kind() == Kind.FAILED || step.kind() == Kind.DELETED)
                && !step.at().isAfter(now));
    }

    SimulatedPod deleting(Instant requestedAt, Instant completesAt) {
        return new SimulatedPod(clusterId, podName, role, requestId, node, slot, createdAt, readyAt, failure,
                new Deletion(requestedAt, completesAt), false);
    }

    SimulatedPod tombstone() {
        return new SimulatedPod(clusterId, podName, role, requestId, node, slot, createdAt, readyAt, failure, deletion, true);
    }

    private boolean beforeDeletion(Instant at) {
        return deletion == null || !at.isAfter(deletion.requestedAt());
    }
}
