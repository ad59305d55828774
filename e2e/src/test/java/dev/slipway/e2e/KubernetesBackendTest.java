package dev.slipway.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The Kubernetes backend's pods run for real: the pod-provisioner (KUBERNETES backend) creates pods and the JobManager's
 * Service in the fabric8 mock API server, and {@link ProcessKubelet} runs each pod's container command, arguments,
 * environment and mounts as a real process against an image root laid out like the official Flink image
 * ({@link FlinkImageRoot}). So the pods' launcher, their dynamic properties, the Service name TaskManagers dial and the
 * log hostPath the node agent reads are all exercised, not only the pod objects.
 */
@EnabledIf(value = "dev.slipway.e2e.ProcessKubelet#available", disabledReason = "the test kubelet needs root for mount namespaces")
class KubernetesBackendTest {

    private static final String NAMESPACE = "flink";
    private static final String IMAGE = "slipway/flink:2.2.0";
    private static final String CLUSTER = "kube-elastic";
    private static final String JOB_MANAGER = CLUSTER + "-jm-0";

    /** The mock API server logs every request at INFO; held here, as java.util.logging forgets loggers nobody holds. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    private static KubernetesMockServer server;
    private static KubernetesClient client;
    private static Platform platform;
    private static ProcessKubelet kubelet;
    private static Path logRoot;

    @BeforeAll
    static void start() throws Exception {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        // The node's log directory (the pods' hostPath), inside the platform's work directory, which the platform empties first.
        logRoot = Path.of(System.getProperty("slipway.e2e.work", "target/e2e")).resolve("kubernetes/node-logs").toAbsolutePath();
        platform = new Platform("kubernetes", Map.of(
                "slipway.provisioner.backend", "KUBERNETES",
                "quarkus.kubernetes-client.api-server-url", server.url("/"),
                "slipway.provisioner.kubernetes.namespace", NAMESPACE,
                "slipway.provisioner.kubernetes.images.\"2.2.0\"", IMAGE,
                "slipway.provisioner.kubernetes.log-host-path", logRoot.toString()));
        Path image = FlinkImageRoot.layOut(platform.repository, "2.2", platform.work.resolve("images/flink-2.2.0"));
        kubelet = new ProcessKubelet(client, NAMESPACE, Map.of(IMAGE, image), platform.work.resolve("kubelet")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (platform != null) {
                platform.deleteCluster(CLUSTER);
                await("the cluster's pods deleted and their processes ended").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> client.pods().inNamespace(NAMESPACE).list().getItems().isEmpty() && kubelet.alive().isEmpty());
            }
        } finally {
            if (kubelet != null) {
                kubelet.close();
            }
            if (platform != null) {
                platform.close();
            }
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.destroy();
            }
        }
    }

    @Test
    void anElasticClusterRunsARealJobOnPodsTheKubeletRunsAndReleasesItsIdleTaskManagers() throws Exception {
        platform.createCluster(CLUSTER, Scenarios.elastic(CLUSTER, "2.2.0", 0, 10));
        await("JobManager pod ready").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> ready(client.pods().inNamespace(NAMESPACE).withName(JOB_MANAGER).get()));
        assertThat(client.services().inNamespace(NAMESPACE).withName(CLUSTER + "-jobmanager").get()).as("the JobManager's Service")
                .isNotNull();
        FlinkRest flink = new FlinkRest("http://" + kubelet.ip(JOB_MANAGER) + ":8081");
        assertThat(given().get(flink.url() + "/overview").then().statusCode(200).extract().jsonPath().getInt("taskmanagers"))
                .as("an elastic cluster starts without TaskManagers").isZero();

        Scenarios.runBoundedSumToItsResult(platform, flink, 4);

        List<String> requested = Scenarios.requestedTaskManagers(platform, CLUSTER);
        assertThat(requested).as("TaskManagers of 2 slots for parallelism 4").hasSize(2);
        for (String taskManager : requested) {
            // The pod's log hostPath (<root>/<cluster>/<pod>, what the node log agent reads) holds the process's log.
            Path log = logRoot.resolve(CLUSTER).resolve(taskManager).resolve("taskmanager.log");
            assertThat(log).exists();
            assertThat(Files.readString(log)).contains("Successful registration at resource manager");
        }

        await("idle TaskManagers released").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubelet.alive(), alive -> alive.equals(List.of(JOB_MANAGER)));
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).extracting(pod -> pod.getMetadata().getName())
                .containsExactly(JOB_MANAGER);
        assertThat(platform.decisions(CLUSTER).getList("reason", String.class)).anyMatch(reason -> reason.startsWith("Flink released"));
        assertThat(platform.liveTaskManagers(CLUSTER)).isEmpty();
    }

    private static boolean ready(Pod pod) {
        return pod != null && pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
