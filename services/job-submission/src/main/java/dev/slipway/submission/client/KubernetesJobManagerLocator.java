package dev.slipway.submission.client;

/** KUBERNETES backend: the JobManager's Service, {@code <cluster>-jobmanager.<namespace>}, as the provisioner names it. */
public final class KubernetesJobManagerLocator implements JobManagerLocator {

    private final String namespace;
    private final int restPort;

    public KubernetesJobManagerLocator(String namespace, int restPort) {
        this.namespace = namespace;
        this.restPort = restPort;
    }

    @Override
    public String restUrl(String clusterId, long tokenGeneration) {
        return "http://" + clusterId + "-jobmanager." + namespace + ":" + restPort;
    }
}
