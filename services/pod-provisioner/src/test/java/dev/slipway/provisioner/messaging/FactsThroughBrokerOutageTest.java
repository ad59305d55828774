package dev.slipway.provisioner.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.Events;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.provisioner.PodFacts;
import dev.slipway.provisioner.SimulatedProvisionerProfile;
import dev.slipway.testkit.OwnBrokerResource;
import dev.slipway.testkit.TopicWatch;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Pod facts reported while the broker is away are all published, in their order, once it is back. A fleet's broker restart
 * found the fact channel dropping them once its emitter's buffer (128 behind Kafka's 1,024 in flight) was full: pods a
 * deleted cluster left behind, and pods the scheduler wanted gone that nobody heard were.
 */
@QuarkusTest
@TestProfile(SimulatedProvisionerProfile.class)
@QuarkusTestResource(value = OwnBrokerResource.class, restrictToAnnotatedClass = true)
class FactsThroughBrokerOutageTest {

    /** Well beyond what the channel holds in flight and in its emitter's default buffer together. */
    private static final int FACTS = 3_000;

    @Inject
    FactPublisher facts;

    @Test
    void factsReportedWhileTheBrokerIsAwayAreAllPublishedInOrderOnceItIsBack() {
        String cluster = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaCompanion companion = new KafkaCompanion(OwnBrokerResource.broker().bootstrapServers())) {
            OwnBrokerResource.broker().stop();
            try {
                for (int i = 0; i < FACTS; i++) {
                    String pod = cluster + "-tm-" + i;
                    facts.report(new PodCreated(Events.deterministicId(cluster, "created", pod), cluster, Instant.now(), pod,
                            PodRole.TASK_MANAGER, "r-" + i, "node-1"));
                }
            } finally {
                OwnBrokerResource.broker().start();
            }

            ConsumerTask<String, byte[]> resources = TopicWatch.watch(companion, Topics.RESOURCES);
            await("every fact published").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> created(resources, cluster).size() >= FACTS);
            assertThat(created(resources, cluster)).as("each once, in the order reported")
                    .containsExactlyElementsOf(IntStream.range(0, FACTS).mapToObj(i -> cluster + "-tm-" + i).toList());
            resources.stop();
        }
    }

    private static List<String> created(ConsumerTask<String, byte[]> resources, String cluster) {
        return PodFacts.of(resources, cluster).stream().filter(PodCreated.class::isInstance).map(PodFact::podName).toList();
    }
}
