package dev.slipway.contracts.cluster;

/**
 * The pod network a cluster's Flink processes use. JD measured checkpoints taking more than twice as
 * long on a slow container network, so the host network is offered where the pod network costs too
 * much; it comes with raised Flink timeouts.
 */
public enum NetworkProfile {
    /** The container network of the Kubernetes cluster. */
    POD_NETWORK,
    /** {@code hostNetwork: true} with {@code dnsPolicy: ClusterFirstWithHostNet}. */
    HOST_NETWORK
}
