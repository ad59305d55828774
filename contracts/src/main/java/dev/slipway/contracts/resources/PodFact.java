package dev.slipway.contracts.resources;

/** What the provisioner observed of a pod (or local process). */
public sealed interface PodFact extends ResourceEvent permits PodCreated, PodReady, PodFailed, PodDeleted {

    String podName();
}
