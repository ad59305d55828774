package dev.slipway.provisioner;

import dev.slipway.provisioner.config.ProvisionerConfig;
import dev.slipway.provisioning.HighAvailability;
import dev.slipway.provisioning.MetricsShipping;
import dev.slipway.provisioning.PodBackend;
import dev.slipway.provisioning.kubernetes.KubernetesBackendSettings;
import dev.slipway.provisioning.kubernetes.KubernetesPodBackend;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;

/** Builds the Kubernetes backend from the service's configuration and the fabric8 client Quarkus configures. */
@ApplicationScoped
public class KubernetesBackendFactory {

    private final Instance<KubernetesClient> client;

    public KubernetesBackendFactory(Instance<KubernetesClient> client) {
        this.client = client;
    }

    /**
     * @param clusterToken     a cluster's current resource-manager token; on Kubernetes it is a container argument, so a
     *                         running JobManager keeps the token it started with until it is replaced
     * @param metrics          where every pod's metric reporter ships; null for no reporter
     * @param highAvailability how JobManagers elect their leader and keep their jobs; null for none
     */
    public PodBackend create(ProvisionerConfig config, Function<String, String> clusterToken, MetricsShipping metrics,
            HighAvailability highAvailability) {
        ProvisionerConfig.Kubernetes kubernetes = config.kubernetes();
        KubernetesClient api = client.get();
        Pod template = kubernetes.podTemplateFile().map(KubernetesBackendFactory::readTemplate).orElse(null);
        String namespace = kubernetes.namespace().orElse(api.getNamespace());
        if (highAvailability != null && highAvailability.type() == HighAvailability.Type.KUBERNETES
                && highAvailability.kubernetesNamespace() == null) {
            // Flink's own default is "default": its ConfigMaps belong beside the pods.
            highAvailability = HighAvailability.kubernetes(highAvailability.storageDir(), namespace);
        }
        KubernetesBackendSettings settings = new KubernetesBackendSettings(kubernetes.images(), null, null,
                kubernetes.serviceAccount().orElse(null), config.schedulerUrl(), clusterToken, kubernetes.logHostPath(), template,
                metrics, highAvailability);
        return new KubernetesPodBackend(api, namespace, settings, Clock.systemUTC());
    }

    private static Pod readTemplate(String file) {
        try {
            return KubernetesBackendSettings.parsePodTemplate(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the pod template " + file
                    + " (slipway.provisioner.kubernetes.pod-template-file)", e);
        }
    }
}
