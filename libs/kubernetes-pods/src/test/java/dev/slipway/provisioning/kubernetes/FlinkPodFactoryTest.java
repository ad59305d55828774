package dev.slipway.provisioning.kubernetes;

import static dev.slipway.provisioning.kubernetes.Decisions.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.decisions.Placement;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.provisioning.FlinkProcessConfiguration;
import dev.slipway.provisioning.PodLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlinkPodFactoryTest {

    private static final String TEMPLATE = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: users-name
              namespace: elsewhere
              labels:
                team: payments
                slipway.dev/cluster: not-this-one
                slipway.dev/request: not-this-one
              annotations:
                prometheus.io/scrape: "true"
                slipway.dev/generation: "99"
            spec:
              hostNetwork: true
              restartPolicy: Always
              nodeSelector:
                pool: flink
              tolerations:
                - key: dedicated
                  operator: Equal
                  value: flink
                  effect: NoSchedule
              topologySpreadConstraints:
                - maxSkew: 5
                  topologyKey: kubernetes.io/hostname
                  whenUnsatisfiable: ScheduleAnyway
                - maxSkew: 1
                  topologyKey: topology.kubernetes.io/zone
                  whenUnsatisfiable: DoNotSchedule
              containers:
                - name: flink
                  image: users/flink:latest
                  command: ["sleep", "infinity"]
                  args: ["forever"]
                  env:
                    - name: TZ
                      value: Europe/Berlin
                    - name: FLINK_LOG_DIR
                      value: /somewhere/else
                  resources:
                    limits:
                      cpu: "99"
                      nvidia.com/gpu: "1"
                  volumeMounts:
                    - name: secrets
                      mountPath: /etc/secrets
                - name: log-shipper
                  image: fluent/fluent-bit:3.0
              volumes:
                - name: secrets
                  secret:
                    secretName: orders-secrets
                - name: slipway-logs
                  emptyDir: {}
            """;

    private final FlinkPodFactory factory = new FlinkPodFactory(Decisions.settings());

    @Test
    void taskManagerPodIsNamedLabelledAndSizedByTheDecision() {
        Pod pod = factory.pod(Decisions.taskManager("orders", 3));

        assertThat(pod.getMetadata().getName()).isEqualTo("orders-tm-3");
        assertThat(pod.getMetadata().getNamespace()).isNull();
        assertThat(pod.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                PodLabels.MANAGED_BY, "slipway", PodLabels.CLUSTER, "orders", PodLabels.ROLE, "taskmanager",
                PodLabels.REQUEST, "r-3"));
        assertThat(pod.getMetadata().getOwnerReferences()).isNullOrEmpty();
        Container flink = main(pod);
        assertThat(flink.getResources().getRequests()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", new Quantity("1500m"), "memory", new Quantity("1024Mi"), "ephemeral-storage", new Quantity("2048Mi")));
        assertThat(flink.getResources().getLimits()).isEqualTo(flink.getResources().getRequests());
        assertThat(flink.getImage()).isEqualTo("registry.example/flink:2.2.0-slipway");
        assertThat(flink.getImagePullPolicy()).isEqualTo("Always");
        assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("flink");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getHostNetwork()).isNull();
        assertThat(pod.getMetadata().getAnnotations())
                .containsEntry(FlinkPodFactory.DECISION_ANNOTATION, "e-orders-tm-3")
                .containsEntry(FlinkPodFactory.GENERATION_ANNOTATION, "3");
    }

    @Test
    void jobManagerPodHasNoRequestLabelNoSpreadAndItsOwnPorts() {
        Pod pod = factory.pod(Decisions.jobManager("orders"));

        assertThat(pod.getMetadata().getLabels()).containsEntry(PodLabels.ROLE, "jobmanager").doesNotContainKey(PodLabels.REQUEST);
        assertThat(pod.getSpec().getTopologySpreadConstraints()).isNullOrEmpty();
        assertThat(main(pod).getPorts()).extracting("name", "containerPort")
                .containsExactly(tuple("rpc", 6123), tuple("blob", 6124), tuple("rest", 8081));
        assertThat(main(pod).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/overview");
        assertThat(main(pod).getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(8081);
        assertThat(main(pod).getResources().getLimits()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cpu", new Quantity("500m"), "memory", new Quantity("768Mi")));
    }

    @Test
    void taskManagerIsReadyWhenItsRpcPortAnswers() {
        Container flink = main(factory.pod(Decisions.taskManager("orders", 0)));

        assertThat(flink.getPorts()).extracting("name", "containerPort").containsExactly(tuple("rpc", 6122));
        assertThat(flink.getReadinessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(6122);
    }

    @Test
    void everyPodRunsKubernetesHighAvailabilityUnderItsClusterAsTheFlinkServiceAccount() {
        for (ProvisionPod decision : List.of(Decisions.jobManager("orders"), Decisions.taskManager("orders", 1))) {
            assertThat(factory.flinkConfiguration(decision)).as(decision.podName())
                    .containsEntry("high-availability.type", "kubernetes")
                    .containsEntry("kubernetes.cluster-id", "orders")
                    .containsEntry("high-availability.cluster-id", "orders")
                    .containsEntry("high-availability.storageDir", Decisions.HA_STORAGE);
            assertThat(factory.pod(decision).getSpec().getServiceAccountName()).isEqualTo("flink");
        }
        ProvisionPod withoutHa = Decisions.jobManager("orders", 0, Decisions.elastic().withHighAvailability(false));
        assertThat(factory.flinkConfiguration(withoutHa)).doesNotContainKeys("high-availability.type", "kubernetes.cluster-id");
    }

    @Test
    void cpuBecomesCoresOrMillicores() {
        assertThat(FlinkPodFactory.cpu(2)).isEqualTo("2");
        assertThat(FlinkPodFactory.cpu(0.5)).isEqualTo("500m");
        assertThat(FlinkPodFactory.cpu(1.25)).isEqualTo("1250m");
        assertThat(FlinkPodFactory.cpu(0.001)).isEqualTo("1m");
    }

    @Test
    void noDiskMeansNoEphemeralStorageLimit() {
        Container flink = main(factory.pod(Decisions.jobManager("orders")));

        assertThat(flink.getResources().getRequests()).doesNotContainKey("ephemeral-storage");
        assertThat(flink.getResources().getLimits()).doesNotContainKey("ephemeral-storage");
    }

    @Test
    void hostNetworkProfileUsesTheNodesNetworkWithClusterDns() {
        ClusterSpec spec = Decisions.spec(ClusterMode.ELASTIC, NetworkProfile.HOST_NETWORK, Map.of());
        ProvisionPod decision = Decisions.taskManager("orders", 0, spec, null);
        Pod pod = factory.pod(decision);

        assertThat(pod.getSpec().getHostNetwork()).isTrue();
        assertThat(pod.getSpec().getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        // The raised timeouts that go with the host network come from the shared Flink configuration.
        assertThat(main(pod).getArgs()).contains("-Dpekko.ask.timeout=60 s", "-Dtaskmanager.network.request-backoff.max=60000");
    }

    @Test
    void taskManagersOfOneClusterSpreadAcrossNodes() {
        Placement placement = new Placement("orders", "topology.kubernetes.io/zone", 2, Map.of("node-a", 3));
        Pod pod = factory.pod(Decisions.taskManager("orders", 0, Decisions.elastic(), placement));

        assertThat(pod.getSpec().getTopologySpreadConstraints()).singleElement().satisfies(c -> {
            assertThat(c.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone");
            assertThat(c.getMaxSkew()).isEqualTo(2);
            assertThat(c.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(c.getLabelSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    PodLabels.CLUSTER, "orders", PodLabels.ROLE, "taskmanager"));
        });
    }

    @Test
    void withoutPlacementTheClusterSpreadsByHostname() {
        TopologySpreadConstraint spread = factory.pod(Decisions.taskManager("orders", 0))
                .getSpec().getTopologySpreadConstraints().get(0);

        assertThat(spread.getTopologyKey()).isEqualTo(Placement.HOSTNAME_TOPOLOGY_KEY);
        assertThat(spread.getMaxSkew()).isEqualTo(1);
        assertThat(spread.getLabelSelector().getMatchLabels()).containsEntry(PodLabels.CLUSTER, "orders");
    }

    @Test
    void containerRunsTheRolesMainClassThroughTheLauncher() {
        Container taskManager = main(factory.pod(Decisions.taskManager("orders", 1)));
        Container elasticJobManager = main(factory.pod(Decisions.jobManager("orders")));
        Container staticJobManager = main(factory.pod(Decisions.jobManager("orders", 0,
                Decisions.spec(ClusterMode.STATIC, NetworkProfile.POD_NETWORK, Map.of()))));

        assertThat(taskManager.getCommand()).containsExactly("/bin/bash", "-c", FlinkPodFactory.LAUNCHER, "slipway-flink");
        assertThat(taskManager.getArgs()).startsWith(FlinkProcessConfiguration.TASK_MANAGER_MAIN, "taskmanager");
        assertThat(elasticJobManager.getArgs()).startsWith(FlinkProcessConfiguration.ELASTIC_ENTRYPOINT, "jobmanager");
        assertThat(staticJobManager.getArgs()).startsWith(FlinkProcessConfiguration.STATIC_ENTRYPOINT, "jobmanager");
    }

    @Test
    void taskManagerConfigurationPointsAtTheJobManagerServiceAndAnnouncesThePodIp() {
        assertThat(main(factory.pod(Decisions.taskManager("orders", 1))).getArgs()).contains(
                "-Djobmanager.rpc.address=orders-jobmanager",
                "-Djobmanager.rpc.port=6123",
                "-Dtaskmanager.resource-id=orders-tm-1",
                "-Dtaskmanager.numberOfTaskSlots=2",
                "-Dtaskmanager.memory.process.size=1024m",
                "-Dtaskmanager.bind-host=0.0.0.0",
                "-Dtaskmanager.host=$(POD_IP)",
                "-Dtaskmanager.rpc.port=6122");
        assertThat(main(factory.pod(Decisions.taskManager("orders", 1))).getEnv()).extracting(EnvVar::getName)
                .contains("POD_IP");
    }

    @Test
    void elasticJobManagerCarriesItsClustersTokenAndListensOnAllInterfaces() {
        assertThat(main(factory.pod(Decisions.jobManager("orders"))).getArgs()).contains(
                "-Dslipway.cluster.id=orders",
                "-Dslipway.scheduler.url=" + Decisions.SCHEDULER_URL,
                "-Dslipway.cluster.token=" + TOKENS.issue("orders"),
                "-Djobmanager.bind-host=0.0.0.0",
                "-Drest.bind-address=0.0.0.0",
                "-Dblob.server.port=6124");
    }

    @Test
    void everyPodShipsItsMetricsToThePlatformsKafkaUnderItsOwnName() {
        assertThat(main(factory.pod(Decisions.taskManager("orders", 1))).getArgs()).contains(
                "-Dmetrics.reporter.slipway.factory.class=dev.slipway.flink.metrics.SlipwayMetricReporterFactory",
                "-Dmetrics.reporter.slipway.bootstrap-servers=" + Decisions.KAFKA,
                "-Dmetrics.reporter.slipway.cluster-id=orders",
                "-Dmetrics.reporter.slipway.pod=orders-tm-1",
                "-Dmetrics.reporter.slipway.interval=10000 ms");
        assertThat(main(factory.pod(Decisions.jobManager("orders"))).getArgs())
                .contains("-Dmetrics.reporter.slipway.pod=orders-jm-0");
    }

    @Test
    void userValuesAreEscapedForKubernetesExpansion() {
        ClusterSpec spec = Decisions.spec(ClusterMode.ELASTIC, NetworkProfile.POD_NETWORK,
                Map.of("env.java.opts.taskmanager", "-Dpath=$(HOME) -Dcost=$$5"));

        assertThat(main(factory.pod(Decisions.taskManager("orders", 0, spec, null))).getArgs())
                .contains("-Denv.java.opts.taskmanager=-Dpath=$$(HOME) -Dcost=$$$$5");
    }

    @Test
    void launcherIsLeftAloneByKubernetesExpansion() {
        assertThat(FlinkPodFactory.LAUNCHER).doesNotContain("$(").doesNotContain("$$");
    }

    @Test
    void logsGoToTheHostUnderClusterAndPod() {
        Pod pod = factory.pod(Decisions.taskManager("orders", 2));

        assertThat(pod.getSpec().getVolumes()).singleElement().satisfies(volume -> {
            assertThat(volume.getName()).isEqualTo(FlinkPodFactory.LOG_VOLUME);
            assertThat(volume.getHostPath().getPath()).isEqualTo("/var/log/slipway");
            assertThat(volume.getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        });
        assertThat(main(pod).getVolumeMounts()).singleElement().satisfies(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/opt/flink/log");
            assertThat(mount.getSubPath()).isEqualTo("orders/orders-tm-2");
        });
        assertThat(main(pod).getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .contains(tuple("FLINK_LOG_DIR", "/opt/flink/log"));
    }

    @Test
    void imageOfAnUnmappedVersionFollowsThePattern() {
        KubernetesBackendSettings defaults = KubernetesBackendSettings.of(Decisions.SCHEDULER_URL, TOKENS);
        ClusterSpec spec = new ClusterSpec("orders", "team-a", ClusterMode.STATIC, "1.20.3",
                Decisions.elastic().jobManager(), 1, Decisions.elastic().taskManager(), 1, 1, null, 0, null, null, null);

        assertThat(main(new FlinkPodFactory(defaults).pod(Decisions.taskManager("orders", 0, spec, null))).getImage())
                .isEqualTo("flink:1.20.3-java17");
        assertThat(defaults.imagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(defaults.logRoot()).isEqualTo("/var/log/slipway");
    }

    @Test
    void userTemplateLiesUnderneathAndThePlatformWins() {
        Pod template = KubernetesBackendSettings.parsePodTemplate(TEMPLATE);
        FlinkPodFactory withTemplate = new FlinkPodFactory(Decisions.settings().withPodTemplate(template));
        Pod pod = withTemplate.pod(Decisions.taskManager("orders", 4));

        // The user's additions survive.
        assertThat(pod.getMetadata().getLabels()).containsEntry("team", "payments");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true");
        assertThat(pod.getSpec().getNodeSelector()).containsEntry("pool", "flink");
        assertThat(pod.getSpec().getTolerations()).extracting("key").containsExactly("dedicated");
        assertThat(pod.getSpec().getContainers()).extracting(Container::getName).containsExactly("flink", "log-shipper");
        assertThat(pod.getSpec().getVolumes()).extracting(Volume::getName).containsExactlyInAnyOrder("secrets", "slipway-logs");
        assertThat(main(pod).getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
                .contains(tuple("TZ", "Europe/Berlin"), tuple("FLINK_LOG_DIR", "/opt/flink/log"))
                .doesNotContain(tuple("FLINK_LOG_DIR", "/somewhere/else"));
        assertThat(main(pod).getVolumeMounts()).extracting("name").containsExactly("secrets", "slipway-logs");
        assertThat(main(pod).getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"))
                .containsEntry("cpu", new Quantity("1500m"));
        assertThat(pod.getSpec().getTopologySpreadConstraints()).extracting("topologyKey", "maxSkew")
                .containsExactly(tuple("topology.kubernetes.io/zone", 1), tuple("kubernetes.io/hostname", 1));

        // What the platform controls does not move.
        assertThat(pod.getMetadata().getName()).isEqualTo("orders-tm-4");
        assertThat(pod.getMetadata().getNamespace()).isNull();
        assertThat(pod.getMetadata().getLabels()).containsEntry(PodLabels.CLUSTER, "orders").containsEntry(PodLabels.REQUEST, "r-4");
        assertThat(pod.getMetadata().getAnnotations()).containsEntry(FlinkPodFactory.GENERATION_ANNOTATION, "3");
        assertThat(pod.getSpec().getHostNetwork()).isNull();
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(main(pod).getImage()).isEqualTo("registry.example/flink:2.2.0-slipway");
        assertThat(main(pod).getCommand()).containsExactlyElementsOf(FlinkPodFactory.COMMAND);
        assertThat(main(pod).getArgs()).isEqualTo(withTemplate.arguments(Decisions.taskManager("orders", 4)));
        assertThat(pod.getSpec().getVolumes()).filteredOn(v -> v.getName().equals("slipway-logs"))
                .singleElement().satisfies(v -> assertThat(v.getHostPath()).isNotNull());
        // Building a pod leaves the configured template as it was.
        assertThat(Decisions.settings().withPodTemplate(template).podTemplate()).isEqualTo(template);
    }

    @Test
    void sameDecisionSamePod() {
        ProvisionPod decision = Decisions.taskManager("orders", 7);

        assertThat(factory.pod(decision)).isEqualTo(factory.pod(decision));
    }

    @Test
    void jobManagerServiceSelectsTheClustersJobManager() {
        Service service = factory.jobManagerService("orders");

        assertThat(service.getMetadata().getName()).isEqualTo("orders-jobmanager");
        assertThat(service.getMetadata().getLabels()).containsEntry(PodLabels.MANAGED_BY, "slipway")
                .containsEntry(PodLabels.CLUSTER, "orders");
        assertThat(service.getSpec().getSelector()).containsExactlyInAnyOrderEntriesOf(Map.of(
                PodLabels.CLUSTER, "orders", PodLabels.ROLE, "jobmanager"));
        assertThat(service.getSpec().getPorts()).extracting("name", "port")
                .containsExactly(tuple("rpc", 6123), tuple("blob", 6124), tuple("rest", 8081));
        assertThat(FlinkPodFactory.jobManagerAddress("orders").restUrl()).isEqualTo("http://orders-jobmanager:8081");
    }

    private static Container main(Pod pod) {
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(FlinkPodFactory.MAIN_CONTAINER)).findFirst().orElseThrow();
    }
}
