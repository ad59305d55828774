package dev.slipway.provisioning.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.provisioning.PodLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backend against the fabric8 mock API server in CRUD mode, with {@link Kubelet} playing the
 * node. One server for the class; every test works in a namespace of its own.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPodBackendTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final Clock CLOCK = Clock.fixed(Decisions.T0.plusSeconds(5), ZoneOffset.UTC);

    static KubernetesClient client;

    private String namespace;
    private Kubelet kubelet;
    private RecordingSink sink;
    private KubernetesPodBackend backend;

    @BeforeEach
    void startBackend() {
        namespace = "slipway-" + NAMESPACES.incrementAndGet();
        kubelet = new Kubelet(client, namespace);
        sink = new RecordingSink();
        backend = newBackend();
        backend.start(sink);
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void aDecisionBecomesTheExpectedPod() {
        ProvisionPod decision = Decisions.taskManager("orders", 0,
                Decisions.spec(ClusterMode.ELASTIC, NetworkProfile.HOST_NETWORK, Map.of()), null);

        backend.provision(decision);

        Pod pod = client.pods().inNamespace(namespace).withName("orders-tm-0").get();
        assertThat(pod.getMetadata().getLabels()).containsEntry(PodLabels.CLUSTER, "orders")
                .containsEntry(PodLabels.ROLE, "taskmanager").containsEntry(PodLabels.REQUEST, "r-0");
        assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("memory", new Quantity("1024Mi")).containsEntry("cpu", new Quantity("1500m"));
        assertThat(pod.getSpec().getHostNetwork()).isTrue();
        assertThat(pod.getSpec().getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(pod.getSpec().getTopologySpreadConstraints()).extracting("topologyKey", "whenUnsatisfiable")
                .containsExactly(tuple("kubernetes.io/hostname", "ScheduleAnyway"));
        awaitFacts().until(() -> sink.kinds("orders-tm-0").equals(List.of("PodCreated")));
    }

    @Test
    void factsFollowTheKubeletInOrderEachOnce() {
        backend.provision(Decisions.taskManager("orders", 0));
        awaitFacts().until(() -> sink.kinds("orders-tm-0").equals(List.of("PodCreated")));

        kubelet.pending("orders-tm-0", "node-a");
        kubelet.running("orders-tm-0");
        kubelet.ready("orders-tm-0");
        awaitFacts().until(() -> sink.kinds("orders-tm-0").equals(List.of("PodCreated", "PodReady")));
        PodReady ready = sink.last("orders-tm-0", PodReady.class);
        assertThat(ready.nodeName()).isEqualTo("node-a");
        assertThat(ready.address()).matches("10\\.0\\.0\\.\\d+:6122");
        assertThat(ready.occurredAt()).isEqualTo(CLOCK.instant());

        kubelet.oomKilled("orders-tm-0");
        awaitFacts().until(() -> sink.kinds("orders-tm-0").equals(List.of("PodCreated", "PodReady", "PodFailed")));
        PodFailed failed = sink.last("orders-tm-0", PodFailed.class);
        assertThat(failed.reason()).isEqualTo("OOMKilled");
        assertThat(failed.exitCode()).isEqualTo(137);

        backend.delete(Decisions.delete(Decisions.taskManager("orders", 0)));
        awaitFacts().until(() -> sink.kinds("orders-tm-0")
                .equals(List.of("PodCreated", "PodReady", "PodFailed", "PodDeleted")));
        assertThat(client.pods().inNamespace(namespace).withName("orders-tm-0").get()).isNull();
    }

    @Test
    void anImageThatCannotBePulledFailsThePod() {
        backend.provision(Decisions.taskManager("orders", 1));
        kubelet.pending("orders-tm-1", "node-a");
        kubelet.imagePullBackOff("orders-tm-1");

        awaitFacts().until(() -> sink.kinds("orders-tm-1").equals(List.of("PodCreated", "PodFailed")));
        PodFailed failed = sink.last("orders-tm-1", PodFailed.class);
        assertThat(failed.reason()).isEqualTo("ImagePullBackOff");
        assertThat(failed.message()).contains("registry.example/flink:2.2.0-slipway");
    }

    @Test
    void anEvictedPodFails() {
        backend.provision(Decisions.taskManager("orders", 2));
        kubelet.pending("orders-tm-2", "node-a");
        kubelet.running("orders-tm-2");
        kubelet.ready("orders-tm-2");
        kubelet.evicted("orders-tm-2");

        awaitFacts().until(() -> sink.kinds("orders-tm-2").equals(List.of("PodCreated", "PodReady", "PodFailed")));
        assertThat(sink.last("orders-tm-2", PodFailed.class).reason()).isEqualTo("Evicted");
        assertThat(sink.last("orders-tm-2", PodFailed.class).message()).startsWith("The node was low on resource: memory.");
    }

    @Test
    void theSameDecisionTwiceCreatesOnePod() {
        ProvisionPod decision = Decisions.taskManager("orders", 3);

        backend.provision(decision);
        backend.provision(decision);

        assertThat(client.pods().inNamespace(namespace).list().getItems()).extracting("metadata.name")
                .containsExactly("orders-tm-3");
        awaitFacts().during(Duration.ofMillis(300)).until(() -> sink.kinds("orders-tm-3").equals(List.of("PodCreated")));
    }

    @Test
    void aRestartedBackendReportsThePodsThatExist() {
        backend.provision(Decisions.jobManager("orders"));
        backend.provision(Decisions.taskManager("orders", 0));
        kubelet.pending("orders-tm-0", "node-a");
        kubelet.running("orders-tm-0");
        kubelet.ready("orders-tm-0");
        awaitFacts().until(() -> sink.kinds("orders-tm-0").equals(List.of("PodCreated", "PodReady")));
        backend.close();

        RecordingSink afterRestart = new RecordingSink();
        backend = newBackend();
        backend.start(afterRestart);

        // Reported by start itself, before the informer runs: the same facts, the same ids.
        assertThat(afterRestart.kinds("orders-jm-0")).containsExactly("PodCreated");
        assertThat(afterRestart.kinds("orders-tm-0")).containsExactly("PodCreated", "PodReady");
        assertThat(afterRestart.of("orders-tm-0")).extracting("eventId")
                .containsExactlyElementsOf(sink.of("orders-tm-0").stream().map(f -> f.eventId()).toList());
        assertThat(afterRestart.last("orders-tm-0", PodCreated.class).requestId()).isEqualTo("r-0");
    }

    @Test
    void factsTheSinkRefusedAreReportedOnThePodsNextUpdate() {
        backend.close();
        AtomicInteger refusals = new AtomicInteger(1);
        backend = newBackend();
        backend.start(fact -> {
            if (refusals.getAndDecrement() > 0) {
                throw new IllegalStateException("broker unavailable");
            }
            sink.report(fact);
        });

        backend.provision(Decisions.taskManager("orders", 6));
        awaitFacts().until(() -> refusals.get() <= 0);
        assertThat(sink.facts()).isEmpty();
        kubelet.pending("orders-tm-6", "node-a");

        awaitFacts().until(() -> sink.kinds("orders-tm-6").equals(List.of("PodCreated")));
        assertThat(sink.last("orders-tm-6", PodCreated.class).nodeName()).isEqualTo("node-a");
    }

    @Test
    void closingLeavesThePodsRunning() {
        backend.provision(Decisions.taskManager("orders", 4));
        backend.close();

        assertThat(client.pods().inNamespace(namespace).withName("orders-tm-4").get()).isNotNull();
    }

    @Test
    void aJobManagerGetsItsServiceWhichGoesWithTheLastJobManager() {
        ProvisionPod jobManager = Decisions.jobManager("orders");
        backend.provision(jobManager);

        Service service = client.services().inNamespace(namespace).withName("orders-jobmanager").get();
        assertThat(service.getSpec().getSelector()).containsEntry(PodLabels.CLUSTER, "orders")
                .containsEntry(PodLabels.ROLE, "jobmanager");
        assertThat(service.getSpec().getPorts()).extracting("port").containsExactly(6123, 6124, 8081);

        ProvisionPod replacement = Decisions.jobManager("orders", 1, Decisions.elastic());
        backend.provision(replacement);
        backend.delete(Decisions.delete(jobManager));
        assertThat(client.services().inNamespace(namespace).withName("orders-jobmanager").get()).isNotNull();

        backend.delete(Decisions.delete(replacement));
        assertThat(client.services().inNamespace(namespace).withName("orders-jobmanager").get()).isNull();
    }

    @Test
    void deletingAPodThatIsGoneIsANoOp() {
        backend.delete(Decisions.delete(Decisions.taskManager("orders", 9)));
        backend.delete(Decisions.delete(Decisions.jobManager("orders")));

        assertThat(sink.facts()).isEmpty();
    }

    @Test
    void aPodOfTheSameNameThatIsNotOursIsAConflict() {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName("orders-tm-5")
                .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("nginx").endContainer()
                .endSpec().build()).create();

        backend.provision(Decisions.taskManager("orders", 5));

        PodFailed failed = sink.last("orders-tm-5", PodFailed.class);
        assertThat(failed.reason()).isEqualTo("Conflict");
        assertThat(failed.message()).contains("orders-tm-5").contains("already exists");
        assertThat(client.pods().inNamespace(namespace).withName("orders-tm-5").get().getSpec().getContainers())
                .extracting("name").containsExactly("app");

        backend.delete(Decisions.delete(Decisions.taskManager("orders", 5)));
        assertThat(client.pods().inNamespace(namespace).withName("orders-tm-5").get()).isNotNull();
    }

    @Test
    void aForeignServiceInTheWayFailsTheJobManagerBeforeItsPodExists() {
        client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata()
                .withName("orders-jobmanager").endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec()
                .build()).create();

        backend.provision(Decisions.jobManager("orders"));

        assertThat(sink.last("orders-jm-0", PodFailed.class).reason()).isEqualTo("Conflict");
        assertThat(client.pods().inNamespace(namespace).withName("orders-jm-0").get()).isNull();
    }

    private KubernetesPodBackend newBackend() {
        return new KubernetesPodBackend(client, namespace, Decisions.settings(), CLOCK);
    }

    private static ConditionFactory awaitFacts() {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
    }
}
