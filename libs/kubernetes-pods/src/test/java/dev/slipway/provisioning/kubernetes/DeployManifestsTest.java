package dev.slipway.provisioning.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps deploy/k8s honest against the code it deploys: every manifest parses into the Kubernetes model, every
 * environment variable a container gets is a key its service reads (application.properties, a {@code ${ENV}}
 * placeholder there, or a key of the service's {@code @ConfigMapping}), ports and probes match the services,
 * the provisioner runs as the ServiceAccount its Role is bound to, volumes sit where the configuration points,
 * and each image has its Dockerfile. Drift in either the manifests or the services' configuration fails it.
 */
class DeployManifestsTest {

    /** Quarkus service (directory under services/ and Deployment name) to the package of its configuration. */
    private static final Map<String, String> SERVICES = Map.of(
            "resource-scheduler", "dev/slipway/scheduler/config/SchedulerConfig.java",
            "pod-provisioner", "dev/slipway/provisioner/config/ProvisionerConfig.java",
            "job-submission", "dev/slipway/submission/config/SubmissionConfig.java",
            "log-metric-indexer", "dev/slipway/indexer/config/IndexerConfig.java");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private static Path root;
    private static Path k8s;
    private static List<HasMetadata> resources;
    private static Map<String, ConfigMap> configMaps;
    private static Secret secretExample;

    @BeforeAll
    static void load() {
        root = repositoryRoot();
        k8s = root.resolve("deploy/k8s");
        resources = new ArrayList<>();
        for (String file : kustomizationResources()) {
            resources.addAll(parse(k8s.resolve(file)));
        }
        configMaps = new LinkedHashMap<>();
        of(ConfigMap.class).forEach(cm -> configMaps.put(cm.getMetadata().getName(), cm));
        List<HasMetadata> example = parse(k8s.resolve("secret.example.yaml"));
        assertThat(example).hasSize(1).first().isInstanceOf(Secret.class);
        secretExample = (Secret) example.get(0);
    }

    @Test
    void kustomizationListsEveryManifestAndEachParsesIntoTheModel() {
        Set<String> files = listYaml(k8s);
        files.remove("kustomization.yaml");
        // Not applied by the base on purpose: it would reset the real Secret to placeholders (see the file).
        files.remove("secret.example.yaml");
        assertThat(new TreeSet<>(kustomizationResources())).isEqualTo(files);
        assertThat(resources).allSatisfy(resource -> {
            assertThat(resource).as("a typed resource, not an unknown kind").isNotInstanceOf(GenericKubernetesResource.class);
            if (!"Namespace".equals(resource.getKind())) {
                assertThat(resource.getMetadata().getNamespace()).as(resource.getKind() + " " + resource.getMetadata().getName())
                        .isEqualTo("slipway");
            }
        });
        assertThat(of(Deployment.class)).extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(SERVICES.keySet());
        assertThat(secretExample.getMetadata().getName()).isEqualTo("slipway-secrets");
        assertThat(secretExample.getStringData().values()).allSatisfy(value -> assertThat(value).contains("REPLACE-ME"));
    }

    @Test
    void everyEnvironmentVariableIsAKeyTheServiceReads() {
        for (String service : SERVICES.keySet()) {
            Container container = container(deployment(service));
            Set<String> known = knownEnvironmentNames(service);
            Set<String> set = environmentNames(container);
            assertThat(set).as(service + " sets at least Kafka").contains("KAFKA_BOOTSTRAP_SERVERS");
            assertThat(set).as(service + ": variables that name no key of application.properties or of its @ConfigMapping")
                    .allSatisfy(name -> assertThat(known.stream().anyMatch(name::matches)).as(name).isTrue());
        }
    }

    @Test
    void everyReferencedConfigMapKeyAndSecretKeyExists() {
        List<Container> containers = new ArrayList<>();
        SERVICES.keySet().forEach(service -> containers.add(container(deployment(service))));
        of(DaemonSet.class).forEach(ds -> containers.addAll(ds.getSpec().getTemplate().getSpec().getContainers()));
        for (Container container : containers) {
            for (EnvVar var : nullSafe(container.getEnv())) {
                if (var.getValueFrom() == null) {
                    continue;
                }
                if (var.getValueFrom().getConfigMapKeyRef() != null) {
                    var ref = var.getValueFrom().getConfigMapKeyRef();
                    assertThat(configMaps).as(var.getName()).containsKey(ref.getName());
                    assertThat(configMaps.get(ref.getName()).getData()).as(var.getName()).containsKey(ref.getKey());
                } else if (var.getValueFrom().getSecretKeyRef() != null) {
                    var ref = var.getValueFrom().getSecretKeyRef();
                    assertThat(ref.getName()).as(var.getName()).isEqualTo(secretExample.getMetadata().getName());
                    assertThat(secretExample.getStringData()).as(var.getName()).containsKey(ref.getKey());
                }
            }
            for (EnvFromSource from : nullSafe(container.getEnvFrom())) {
                assertThat(from.getConfigMapRef()).as(container.getName() + " envFrom").isNotNull();
                assertThat(configMaps).containsKey(from.getConfigMapRef().getName());
            }
        }
        // The four services that sign or check cluster tokens share one secret.
        for (String service : List.of("resource-scheduler", "pod-provisioner", "job-submission", "log-metric-indexer")) {
            assertThat(secretRefs(container(deployment(service)))).as(service)
                    .containsEntry("SLIPWAY_CLUSTER_TOKEN_SECRET", "SLIPWAY_CLUSTER_TOKEN_SECRET");
            // ... and never let it be the development value anybody knows (the services refuse it unless told this).
            assertThat(environmentNames(container(deployment(service)))).as(service).doesNotContain("SLIPWAY_ALLOW_DEVELOPMENT_SECRET");
        }
        // The operator reads every cluster on the two services that people read across clusters.
        for (String service : List.of("resource-scheduler", "log-metric-indexer")) {
            assertThat(secretRefs(container(deployment(service)))).as(service).containsEntry("SLIPWAY_OPERATOR_TOKEN", "SLIPWAY_OPERATOR_TOKEN");
        }
    }

    @Test
    void portsProbesAndServicesMatchTheServices() throws IOException {
        for (String service : SERVICES.keySet()) {
            int port = httpPort(service);
            Container container = container(deployment(service));
            assertThat(container.getPorts()).as(service).singleElement().satisfies(p -> {
                assertThat(p.getContainerPort()).as(service + " containerPort = quarkus.http.port").isEqualTo(port);
                assertThat(p.getName()).isEqualTo("http");
            });
            assertProbe(container.getReadinessProbe(), "/q/health/ready", service);
            assertProbe(container.getLivenessProbe(), "/q/health/live", service);
            assertProbe(container.getStartupProbe(), "/q/health/started", service);
            assertThat(container.getResources().getRequests()).as(service).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).as(service).containsKey("memory");

            Service svc = named(Service.class, service);
            assertThat(svc.getSpec().getSelector()).isEqualTo(deployment(service).getSpec().getSelector().getMatchLabels());
            assertThat(deployment(service).getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(svc.getSpec().getSelector());
            ServicePort servicePort = svc.getSpec().getPorts().get(0);
            assertThat(servicePort.getPort()).as(service + " Service port").isEqualTo(port);
            assertThat(servicePort.getTargetPort().getStrVal()).isEqualTo("http");

            // The image the Deployment names is built from a Dockerfile of the service that exposes the same port.
            Path dockerfile = root.resolve("services").resolve(service).resolve("src/main/docker/Dockerfile.jvm");
            assertThat(dockerfile).exists();
            String docker = Files.readString(dockerfile);
            assertThat(docker).contains("EXPOSE " + port).contains("target/quarkus-app/").contains("USER 185");
            assertThat(imageName(container.getImage())).isEqualTo("slipway/" + service);
            assertThat(deployment(service).getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(185L);
        }
    }

    @Test
    void everyImageIsSetThroughKustomizeAndHasADockerfile() throws IOException {
        Set<String> images = new LinkedHashSet<>();
        SERVICES.keySet().forEach(service -> images.add(imageName(container(deployment(service)).getImage())));
        of(DaemonSet.class).forEach(ds -> ds.getSpec().getTemplate().getSpec().getContainers()
                .forEach(c -> images.add(imageName(c.getImage()))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entries = (List<Map<String, Object>>) kustomization().get("images");
        Set<String> kustomized = entries.stream().map(e -> (String) e.get("name")).collect(Collectors.toSet());
        assertThat(kustomized).containsExactlyInAnyOrderElementsOf(images);

        String agentDockerfile = Files.readString(root.resolve("services/log-agent/src/main/docker/Dockerfile"));
        DaemonSet agent = named(DaemonSet.class, "log-agent");
        Container agentContainer = agent.getSpec().getTemplate().getSpec().getContainers().get(0);
        // The DaemonSet's classpath is where the image puts the jar and its dependencies.
        assertThat(agentContainer.getCommand()).contains("/opt/slipway/log-agent/lib/*", "dev.slipway.logagent.LogAgentMain");
        assertThat(agentDockerfile).contains("/opt/slipway/log-agent/lib/").contains("target/lib/");
        assertThat(Files.readString(root.resolve("services/log-agent/pom.xml"))).contains("<goal>copy-dependencies</goal>");
    }

    @Test
    void theProvisionerRunsAsTheServiceAccountItsRoleIsBoundTo() {
        PodSpec pod = deployment("pod-provisioner").getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("pod-provisioner");
        assertThat(pod.getAutomountServiceAccountToken()).isNotEqualTo(Boolean.FALSE);
        assertThat(of(io.fabric8.kubernetes.api.model.ServiceAccount.class)).extracting(sa -> sa.getMetadata().getName())
                .contains(pod.getServiceAccountName());
        RoleBinding binding = of(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                        && pod.getServiceAccountName().equals(s.getName())))
                .findFirst().orElseThrow(() -> new AssertionError("no RoleBinding of ServiceAccount " + pod.getServiceAccountName()));
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        Role role = named(Role.class, binding.getRoleRef().getName());
        assertThat(verbs(role, "pods")).contains("create", "delete", "get", "list", "watch");
        assertThat(verbs(role, "services")).contains("create", "delete", "get");
        // Only the provisioner talks to the API server.
        for (String service : List.of("resource-scheduler", "job-submission", "log-metric-indexer")) {
            assertThat(deployment(service).getSpec().getTemplate().getSpec().getServiceAccountName()).as(service)
                    .isNotEqualTo(pod.getServiceAccountName());
        }
        assertThat(data("slipway-pod-provisioner")).containsEntry("SLIPWAY_PROVISIONER_BACKEND", "KUBERNETES");
        assertThat(data("slipway-job-submission")).containsEntry("SLIPWAY_JOB_MANAGER_LOCATOR", "KUBERNETES");
        // JobManagers are looked up in the namespace the provisioner (its ServiceAccount's) creates them in.
        EnvVar namespace = container(deployment("job-submission")).getEnv().stream()
                .filter(v -> v.getName().equals("SLIPWAY_JOB_SUBMISSION_JOB_MANAGERS_NAMESPACE")).findFirst().orElseThrow();
        assertThat(namespace.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    }

    @Test
    void flinkImagesCoverEveryAcceptedVersionLine() throws IOException {
        // SmallRye reads slipway.provisioner.kubernetes.images."2.2.0" from SLIPWAY_PROVISIONER_KUBERNETES_IMAGES__2_2_0_.
        Pattern image = Pattern.compile("SLIPWAY_PROVISIONER_KUBERNETES_IMAGES__([0-9]+(?:_[0-9]+)*)_");
        Map<String, String> images = new LinkedHashMap<>();
        data("slipway-pod-provisioner").forEach((key, value) -> {
            Matcher m = image.matcher(key);
            if (m.matches()) {
                images.put(m.group(1).replace('_', '.'), value);
            }
        });
        assertThat(images).containsKey("2.2.0");
        String lines = data("slipway-job-submission").get("SLIPWAY_JOB_SUBMISSION_FLINK_VERSIONS");
        for (String line : lines.split(",")) {
            assertThat(images.keySet()).as("an image for Flink " + line).anyMatch(v -> v.startsWith(line.trim() + "."));
        }
        String dockerfile = Files.readString(root.resolve("flink/docker/Dockerfile"));
        // The layout the pods' launcher needs (the e2e test kubelet runs pods against the same layout, FlinkImageRoot): the
        // official image's FLINK_HOME with its conf/ and log/, the platform's jars in lib/, the S3 file system in plugins/.
        assertThat(dockerfile).contains("FROM ${FLINK_IMAGE}").containsPattern("ARG FLINK_IMAGE=flink:[0-9.]+-java17")
                .contains("COPY --chown=flink:flink target/lib/*.jar " + FlinkPodFactory.FLINK_HOME + "/lib/")
                .contains(FlinkPodFactory.FLINK_HOME + "/plugins/s3-fs-presto/")
                .doesNotContain("ENV FLINK_HOME").doesNotContain("ENTRYPOINT");
        // The classes the pods start must be what the image adds (flink/docker/pom.xml copies their jars).
        String pom = Files.readString(root.resolve("flink/docker/pom.xml"));
        assertThat(pom).contains("<artifactId>slipway-flink-resource-manager</artifactId>")
                .contains("<artifactId>slipway-flink-metrics-reporter</artifactId>");
    }

    @Test
    void volumesSitWhereTheConfigurationPoints() {
        Set<String> claims = of(PersistentVolumeClaim.class).stream().map(c -> c.getMetadata().getName()).collect(Collectors.toSet());
        assertMountedClaim("job-submission", data("slipway-job-submission").get("SLIPWAY_ARTIFACT_DIR"), claims);
        assertMountedClaim("log-metric-indexer", data("slipway-log-metric-indexer").get("SLIPWAY_INDEXER_DATA_DIR"), claims);

        // The pod template the provisioner is given is the one its ConfigMap mounts, and it puts the savepoint
        // directory job-submission names on a claim into every Flink container.
        Map<String, String> provisioner = data("slipway-pod-provisioner");
        String templateFile = provisioner.get("SLIPWAY_PROVISIONER_KUBERNETES_POD_TEMPLATE_FILE");
        Container main = container(deployment("pod-provisioner"));
        VolumeMount templateMount = main.getVolumeMounts().stream()
                .filter(m -> templateFile.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        Volume templateVolume = volume(deployment("pod-provisioner"), templateMount.getName());
        String key = templateFile.substring(templateMount.getMountPath().length() + 1);
        Pod template = KubernetesBackendSettings.parsePodTemplate(data(templateVolume.getConfigMap().getName()).get(key));

        Pod pod = new FlinkPodFactory(Decisions.settings().withPodTemplate(template)).pod(Decisions.taskManager("orders", 1));
        Container flink = pod.getSpec().getContainers().stream()
                .filter(c -> FlinkPodFactory.MAIN_CONTAINER.equals(c.getName())).findFirst().orElseThrow();
        String savepoints = data("slipway-job-submission").get("SLIPWAY_JOB_SUBMISSION_JOBS_SAVEPOINT_DIR");
        assertThat(savepoints).startsWith("file://");
        VolumeMount state = flink.getVolumeMounts().stream()
                .filter(m -> savepoints.substring("file://".length()).startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError("no Flink mount under " + savepoints));
        Volume stateVolume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(state.getName())).findFirst().orElseThrow();
        assertThat(claims).contains(stateVolume.getPersistentVolumeClaim().getClaimName());
        assertThat(named(PersistentVolumeClaim.class, stateVolume.getPersistentVolumeClaim().getClaimName()).getSpec().getAccessModes())
                .containsExactly("ReadWriteMany");
        // The platform's log volume is still the platform's.
        assertThat(flink.getVolumeMounts()).anyMatch(m -> FlinkPodFactory.LOG_MOUNT_PATH.equals(m.getMountPath()));
    }

    @Test
    void highAvailabilityHasItsQuorumItsStorageOnTheFlinkPodsVolumeAndItsRights() {
        Map<String, String> provisioner = data("slipway-pod-provisioner");
        assertThat(provisioner).containsEntry("SLIPWAY_PROVISIONER_HIGH_AVAILABILITY_TYPE", "ZOOKEEPER");
        // The quorum is the client Service of the ensemble in this base.
        String quorum = provisioner.get("SLIPWAY_PROVISIONER_HIGH_AVAILABILITY_ZOOKEEPER_QUORUM");
        Service zooKeeper = named(Service.class, quorum.split(":")[0]);
        assertThat(zooKeeper.getSpec().getPorts()).anyMatch(port -> port.getPort() == Integer.parseInt(quorum.split(":")[1]));
        StatefulSet ensemble = named(StatefulSet.class,
                "zookeeper");
        assertThat(ensemble.getSpec().getReplicas()).as("a quorum that survives one loss").isEqualTo(3);
        assertThat(ensemble.getSpec().getSelector().getMatchLabels()).isEqualTo(zooKeeper.getSpec().getSelector());

        // The HA files go where the savepoints go: the flink-state claim the pod template mounts into every Flink pod.
        String storage = provisioner.get("SLIPWAY_PROVISIONER_HIGH_AVAILABILITY_STORAGE_DIR");
        String savepoints = data("slipway-job-submission").get("SLIPWAY_JOB_SUBMISSION_JOBS_SAVEPOINT_DIR");
        assertThat(storage).startsWith(savepoints.substring(0, savepoints.lastIndexOf('/') + 1));

        // Kubernetes HA, the other choice: the pods' ServiceAccount may edit ConfigMaps, and only the pods' one may.
        String account = provisioner.get("SLIPWAY_PROVISIONER_KUBERNETES_SERVICE_ACCOUNT");
        RoleBinding binding = of(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> account.equals(s.getName()))).findFirst().orElseThrow();
        assertThat(verbs(named(Role.class, binding.getRoleRef().getName()), "configmaps"))
                .contains("get", "list", "watch", "create", "update", "delete");
        assertThat(verbs(named(Role.class, "pod-provisioner"), "configmaps")).isEmpty();
    }

    @Test
    void theLogAgentReadsWhereThePodsLog() throws IOException {
        Map<String, String> agent = data("slipway-log-agent");
        assertThat(agent.get("SLIPWAY_LOG_AGENT_LOG_ROOT"))
                .isEqualTo(data("slipway-pod-provisioner").get("SLIPWAY_PROVISIONER_KUBERNETES_LOG_HOST_PATH"));
        String options = Files.readString(root.resolve("services/log-agent/src/main/java/dev/slipway/logagent/config/AgentOptions.java"));
        Set<String> known = new TreeSet<>();
        Matcher m = Pattern.compile("PREFIX \\+ \"([a-z0-9.-]+)\"").matcher(options);
        while (m.find()) {
            known.add(environmentForm("slipway.log-agent." + m.group(1)));
        }
        Container container = named(DaemonSet.class, "log-agent").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(environmentNames(container)).isNotEmpty().allSatisfy(name -> assertThat(known).contains(name));
    }

    // ---- the services' configuration ----

    /** Patterns of the environment variables a service reads. */
    private static Set<String> knownEnvironmentNames(String service) {
        Set<String> known = new TreeSet<>();
        Properties properties = applicationProperties(service);
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%")) {
                continue; // profile-only keys (%test., %dev.) are not read in production
            }
            known.add(Pattern.quote(environmentForm(key)));
            Matcher placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]").matcher(properties.getProperty(key));
            while (placeholder.find()) {
                known.add(Pattern.quote(placeholder.group(1)));
            }
        }
        Path config = root.resolve("services").resolve(service).resolve("src/main/java").resolve(SERVICES.get(service));
        for (String key : ConfigMappingKeys.of(read(config))) {
            known.add(environmentPattern(key));
        }
        return known;
    }

    private static Properties applicationProperties(String service) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(read(root.resolve("services").resolve(service)
                    .resolve("src/main/resources/application.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static int httpPort(String service) {
        String value = applicationProperties(service).getProperty("quarkus.http.port");
        Matcher placeholder = Pattern.compile("\\$\\{[A-Z0-9_]+:([0-9]+)}").matcher(value);
        return Integer.parseInt(placeholder.matches() ? placeholder.group(1) : value.trim());
    }

    /** MicroProfile Config's environment form: every character neither alphanumeric nor _ becomes _, upper case. */
    static String environmentForm(String key) {
        return key.replaceAll("[^A-Za-z0-9_]", "_").toUpperCase();
    }

    /** A mapping key with map segments ({@code *}) as a pattern: a plain key or a quoted one ({@code __2_2_0_}). */
    private static String environmentPattern(String key) {
        return Stream.of(key.split("\\."))
                .map(segment -> segment.equals("*") ? "(?:[A-Z0-9]+|_[A-Z0-9_]+_)" : Pattern.quote(environmentForm(segment)))
                .collect(Collectors.joining("_"));
    }

    /**
     * The keys of a {@code @ConfigMapping} interface, read from its source: each method of the root interface and of
     * the nested interfaces it returns, in kebab case; a {@code Map<String, X>} adds a {@code *} segment.
     */
    static final class ConfigMappingKeys {

        private static final Pattern PREFIX = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)\\s*public\\s+interface\\s+(\\w+)");
        private static final Pattern METHOD = Pattern.compile("(?m)^\\s*([\\w.]+(?:<[^;()]*>)?)\\s+(\\w+)\\(\\);");

        static Set<String> of(String source) {
            Matcher prefix = PREFIX.matcher(source);
            assertThat(prefix.find()).as("a @ConfigMapping interface").isTrue();
            Map<String, String> bodies = interfaceBodies(source);
            Set<String> keys = new TreeSet<>();
            walk(prefix.group(1), prefix.group(2), bodies, keys);
            return keys;
        }

        private static void walk(String path, String type, Map<String, String> bodies, Set<String> keys) {
            Matcher method = METHOD.matcher(withoutNestedBodies(bodies.get(type)));
            while (method.find()) {
                String returned = method.group(1);
                String name = path + "." + kebab(method.group(2));
                Matcher map = Pattern.compile("Map<String,\\s*(\\w+)>").matcher(returned);
                if (map.matches()) {
                    name += ".*";
                    returned = map.group(1);
                }
                if (bodies.containsKey(returned)) {
                    walk(name, returned, bodies, keys);
                } else {
                    keys.add(name);
                }
            }
        }

        /** Each interface's body, nested ones included, by simple name. */
        private static Map<String, String> interfaceBodies(String source) {
            Map<String, String> bodies = new LinkedHashMap<>();
            Matcher start = Pattern.compile("interface\\s+(\\w+)[^{]*\\{").matcher(source);
            while (start.find()) {
                int depth = 1;
                int i = start.end();
                while (depth > 0) {
                    char c = source.charAt(i++);
                    depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                }
                bodies.put(start.group(1), source.substring(start.end(), i - 1));
            }
            return bodies;
        }

        /** The body without the bodies of the interfaces and enums nested in it. */
        private static String withoutNestedBodies(String body) {
            StringBuilder out = new StringBuilder();
            int depth = 0;
            for (char c : body.toCharArray()) {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                } else if (depth == 0) {
                    out.append(c);
                }
            }
            return out.toString();
        }

        private static String kebab(String camel) {
            return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
        }
    }

    @Test
    void configMappingKeysAreReadFromTheSources() {
        // The reader above is what the environment check relies on: a known key of each kind must come out.
        Set<String> provisioner = ConfigMappingKeys.of(read(root.resolve("services/pod-provisioner/src/main/java")
                .resolve(SERVICES.get("pod-provisioner"))));
        assertThat(provisioner).contains("slipway.provisioner.backend", "slipway.provisioner.kubernetes.images.*",
                "slipway.provisioner.kubernetes.log-host-path", "slipway.provisioner.local.stop-grace");
        assertThat(environmentPattern("slipway.provisioner.kubernetes.images.*"))
                .satisfies(p -> assertThat("SLIPWAY_PROVISIONER_KUBERNETES_IMAGES__2_2_0_").matches(p));
        Set<String> submission = ConfigMappingKeys.of(read(root.resolve("services/job-submission/src/main/java")
                .resolve(SERVICES.get("job-submission"))));
        assertThat(submission).contains("slipway.job-submission.tenants.*.token", "slipway.job-submission.jobs.savepoint-dir",
                "slipway.job-submission.job-managers.namespace");
        assertThat("SLIPWAY_JOB_SUBMISSION_TENANTS_DEFAULT_TOKEN").matches(environmentPattern("slipway.job-submission.tenants.*.token"));
        assertThat("SLIPWAY_JOB_SUBMISSION_TENANT_DEFAULT_TOKEN").doesNotMatch(environmentPattern("slipway.job-submission.tenants.*.token"));
    }

    // ---- the manifests ----

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("deploy/k8s/kustomization.yaml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    private static Map<String, Object> kustomization() {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = SERIALIZATION.unmarshal(read(k8s.resolve("kustomization.yaml")), Map.class);
        return map;
    }

    @SuppressWarnings("unchecked")
    private static List<String> kustomizationResources() {
        return (List<String>) kustomization().get("resources");
    }

    private static List<HasMetadata> parse(Path file) {
        List<HasMetadata> parsed = new ArrayList<>();
        for (String document : read(file).split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.trim().startsWith("#"))) {
                continue;
            }
            parsed.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
        }
        return parsed;
    }

    private static Set<String> listYaml(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T extends HasMetadata> List<T> of(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T named(Class<T> type, String name) {
        return of(type).stream().filter(r -> name.equals(r.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    private static Deployment deployment(String name) {
        return named(Deployment.class, name);
    }

    private static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as(deployment.getMetadata().getName()).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, String> data(String configMap) {
        assertThat(configMaps).containsKey(configMap);
        return configMaps.get(configMap).getData();
    }

    /** Every variable the container gets: its own env and the keys of the ConfigMaps it takes whole. */
    private static Set<String> environmentNames(Container container) {
        Set<String> names = new TreeSet<>();
        nullSafe(container.getEnv()).forEach(var -> names.add(var.getName()));
        for (EnvFromSource from : nullSafe(container.getEnvFrom())) {
            if (from.getConfigMapRef() != null) {
                names.addAll(data(from.getConfigMapRef().getName()).keySet());
            }
        }
        return names;
    }

    private static Map<String, String> secretRefs(Container container) {
        Map<String, String> refs = new LinkedHashMap<>();
        nullSafe(container.getEnv()).stream().filter(v -> v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null)
                .forEach(v -> refs.put(v.getName(), v.getValueFrom().getSecretKeyRef().getKey()));
        return refs;
    }

    private static void assertProbe(Probe probe, String path, String service) {
        assertThat(probe).as(service + " probe " + path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as(service).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(service).isEqualTo("http");
    }

    private static void assertMountedClaim(String service, String directory, Set<String> claims) {
        VolumeMount mount = container(deployment(service)).getVolumeMounts().stream()
                .filter(m -> directory.equals(m.getMountPath()) || directory.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(service + " mounts nothing at " + directory));
        Volume volume = volume(deployment(service), mount.getName());
        assertThat(volume.getPersistentVolumeClaim()).as(service + " " + directory).isNotNull();
        assertThat(claims).contains(volume.getPersistentVolumeClaim().getClaimName());
        // A ReadWriteOnce claim cannot follow a rolling update to another node.
        if (named(PersistentVolumeClaim.class, volume.getPersistentVolumeClaim().getClaimName()).getSpec().getAccessModes()
                .equals(List.of("ReadWriteOnce"))) {
            assertThat(deployment(service).getSpec().getStrategy().getType()).as(service).isEqualTo("Recreate");
            assertThat(deployment(service).getSpec().getReplicas()).as(service).isEqualTo(1);
        }
    }

    private static Volume volume(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> name.equals(v.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static Set<String> verbs(Role role, String resource) {
        return role.getRules().stream().filter(r -> r.getResources().contains(resource))
                .map(PolicyRule::getVerbs).flatMap(List::stream).collect(Collectors.toSet());
    }

    private static String imageName(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
