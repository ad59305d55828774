package dev.slipway.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.messaging.EventRecords;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.TopicWatch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The service with the SIMULATED backend: decisions in through Kafka, the facts of simulated pods out, no process. */
@QuarkusTest
@TestProfile(SimulatedProvisionerProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
class SimulatedProvisionerTest {

    private static final ClusterSpec SPEC = new ClusterSpec("sim", "team-a", ClusterMode.STATIC, "2.2.0",
            new ProcessSize(0.5, 1024, 0), 1, new ProcessSize(0.5, 1024, 0), 1, 1, null, 0, null, null, Map.of());

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void decisionsBecomeTheFactsOfSimulatedPods() {
        String cluster = "s" + UUID.randomUUID().toString().substring(0, 8);
        String jobManager = cluster + "-jm-0";
        String taskManager = cluster + "-tm-0";
        ConsumerTask<String, byte[]> resources = TopicWatch.watch(companion, Topics.RESOURCES);
        try {
            decide(new ProvisionPod("d-" + jobManager, cluster, Instant.now(), "cause", "test", jobManager, PodRole.JOB_MANAGER, null,
                    SPEC.jobManager(), 1, SPEC, null));
            decide(new ProvisionPod("d-" + taskManager, cluster, Instant.now(), "cause", "test", taskManager, PodRole.TASK_MANAGER,
                    null, SPEC.taskManager(), 1, SPEC, null));

            await().atMost(Duration.ofSeconds(30)).until(() -> PodFacts.names(resources, cluster).size() == 4);
            assertThat(PodFacts.names(resources, cluster)).containsExactlyInAnyOrder("PodCreated " + jobManager, "PodReady " + jobManager,
                    "PodCreated " + taskManager, "PodReady " + taskManager);
            assertThat(PodFacts.of(resources, cluster)).filteredOn(PodReady.class::isInstance).map(PodReady.class::cast)
                    .extracting(PodReady::address).containsExactlyInAnyOrder("sim-node-0000:40000", "sim-node-0001:40000");

            decide(new DeletePod("x-" + taskManager, cluster, Instant.now(), "cause", "test", taskManager, PodRole.TASK_MANAGER));

            await().atMost(Duration.ofSeconds(30)).until(() -> PodFacts.names(resources, cluster).contains("PodDeleted " + taskManager));
        } finally {
            resources.stop();
        }
    }

    private void decide(Decision decision) {
        companion.produce(String.class, byte[].class).fromRecords(EventRecords.toRecord(decision, "/test", null)).awaitCompletion();
    }

}
