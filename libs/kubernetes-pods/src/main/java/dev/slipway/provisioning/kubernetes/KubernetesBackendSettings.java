package dev.slipway.provisioning.kubernetes;

import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.provisioning.HighAvailability;
import dev.slipway.provisioning.MetricsShipping;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What the Kubernetes backend needs beyond the decisions themselves.
 *
 * @param images            container image per Flink version, e.g. {@code 2.2.0 -> flink:2.2.0-java17}
 * @param imagePattern      image of a version missing from {@code images}; {@code {version}} is replaced
 * @param imagePullPolicy   Always, IfNotPresent or Never
 * @param serviceAccountName service account of the Flink pods; null keeps the template's (or the namespace default)
 * @param schedulerUrl      where an ELASTIC JobManager's resource manager reaches the resource-scheduler
 * @param clusterToken      cluster id to that cluster's token (see {@link ClusterTokens#issue})
 * @param logRoot           host directory the node log agent reads; a pod logs into {@code <logRoot>/<cluster>/<pod>/}
 * @param podTemplate       optional user pod template merged underneath the platform's pod; null for none
 * @param metrics           where every pod's metric reporter ships; null for no reporter
 * @param highAvailability  how JobManagers elect their leader and keep their jobs; null for none
 */
public record KubernetesBackendSettings(
        Map<String, String> images,
        String imagePattern,
        String imagePullPolicy,
        String serviceAccountName,
        String schedulerUrl,
        Function<String, String> clusterToken,
        String logRoot,
        Pod podTemplate,
        MetricsShipping metrics,
        HighAvailability highAvailability) {

    public static final String DEFAULT_IMAGE_PATTERN = "flink:{version}-java17";
    public static final String DEFAULT_PULL_POLICY = "IfNotPresent";
    public static final String DEFAULT_LOG_ROOT = "/var/log/slipway";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    public KubernetesBackendSettings {
        Objects.requireNonNull(schedulerUrl, "schedulerUrl");
        Objects.requireNonNull(clusterToken, "clusterToken");
        images = images == null ? Map.of() : Map.copyOf(new TreeMap<>(images));
        imagePattern = blank(imagePattern) ? DEFAULT_IMAGE_PATTERN : imagePattern;
        imagePullPolicy = blank(imagePullPolicy) ? DEFAULT_PULL_POLICY : imagePullPolicy;
        serviceAccountName = blank(serviceAccountName) ? null : serviceAccountName;
        logRoot = blank(logRoot) ? DEFAULT_LOG_ROOT : stripTrailingSlash(logRoot);
        // A copy: Pod is mutable, and the factory must see the template as it was configured.
        podTemplate = podTemplate == null ? null : SERIALIZATION.clone(podTemplate);
    }

    /** Defaults for everything but the scheduler URL and the token issuer; no metric reporter. */
    public static KubernetesBackendSettings of(String schedulerUrl, ClusterTokens tokens) {
        return new KubernetesBackendSettings(null, null, null, null, schedulerUrl, tokens::issue, null, null, null, null);
    }

    public KubernetesBackendSettings withPodTemplate(Pod template) {
        return new KubernetesBackendSettings(images, imagePattern, imagePullPolicy, serviceAccountName, schedulerUrl,
                clusterToken, logRoot, template, metrics, highAvailability);
    }

    /** A pod template as a user writes it: a Pod manifest in YAML (or JSON). */
    public static Pod parsePodTemplate(String yaml) {
        return SERIALIZATION.unmarshal(yaml, Pod.class);
    }

    public String imageFor(String flinkVersion) {
        String image = images.get(flinkVersion);
        return image != null ? image : imagePattern.replace("{version}", flinkVersion);
    }

    @Override
    public Pod podTemplate() {
        return podTemplate == null ? null : SERIALIZATION.clone(podTemplate);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
