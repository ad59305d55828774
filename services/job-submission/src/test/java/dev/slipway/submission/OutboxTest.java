package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.elastic;
import static dev.slipway.submission.TestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.Events;
import dev.slipway.contracts.Topics;
import dev.slipway.messaging.EventRecords;
import dev.slipway.submission.messaging.OutboxRelay;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The write commits with its event; Kafka being unreachable at that moment loses nothing and duplicates nothing. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class OutboxTest {

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    OutboxRelay relay;

    @Inject
    SwitchableKafka kafka;

    @Test
    void anEventCommittedWhileKafkaIsDownIsPublishedOnceWhenItIsBack() throws Exception {
        kafka.down(true);
        ConsumerTask<String, byte[]> resources = TestSupport.watch(companion, Topics.RESOURCES);
        try {
            String id = TestSupport.create(TEAM_A, elastic(uniqueName("outbox"), 0, 2));
            String eventId = Events.deterministicId(id, "ClusterSpecCreated", "1");

            // The relay tried (after the commit) and failed: the event waits in the outbox, nothing is on the topic.
            int before = kafka.failedAttempts();
            await().atMost(Duration.ofSeconds(20)).until(() -> kafka.failedAttempts() >= before + 2);
            assertThat(relay.isUnsent(eventId)).isTrue();
            as(TEAM_A).get("/api/v1/clusters/{id}", id).then().statusCode(200);
            assertThat(TestSupport.recordsOf(resources, id)).isEmpty();

            kafka.down(false);
            await().atMost(Duration.ofSeconds(20)).until(() -> !relay.isUnsent(eventId));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(TestSupport.recordsOf(resources, id)).hasSize(1));
            // Further relay passes publish nothing again.
            relay.relayOnce();
            String key = "spare-" + id;
            TestSupport.create(TEAM_A, elastic(key, 0, 1)); // a later event proves the topic was read past the first
            await().atMost(Duration.ofSeconds(20)).until(() -> resources.getRecords().stream()
                    .anyMatch(record -> record.key().startsWith(key)));
            assertThat(TestSupport.recordsOf(resources, id))
                    .extracting(record -> EventRecords.text(record.headers(), CloudEventHeaders.ID))
                    .containsExactly(eventId);
        } finally {
            kafka.down(false);
            resources.stop();
        }
    }
}
