package dev.slipway.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.ResourcesRequested;
import dev.slipway.messaging.TopicSetup;
import dev.slipway.scheduler.loop.DecisionLoop;
import dev.slipway.scheduler.loop.Delivery;
import dev.slipway.testkit.EmbeddedKafkaBroker;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two scheduler instances share the clusters through the consumer group; when one stops, the other
 * takes its clusters over with the same state, and no decision is lost or published twice. Runs on
 * a broker of its own so no other instance joins the group; each delivery mode uses its own group
 * (and so also sees the other run's clusters, which it must decide for too).
 */
class DecisionLoopTakeoverTest {

    private static final String GROUP = "takeover-test";

    private static EmbeddedKafkaBroker broker;
    private static KafkaCompanion companion;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.onRandomPorts().start();
        TopicSetup.ensure(broker.bootstrapServers(), 4, (short) 1);
        companion = new KafkaCompanion(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        companion.close();
        broker.stop();
    }

    @ParameterizedTest
    @EnumSource(Delivery.class)
    void aSecondInstanceSharesTheClustersAndTakesThemAllOverWithTheirState(Delivery delivery) {
        List<String> clusters = IntStream.range(0, 8).mapToObj(i -> Clusters.newId()).toList();
        ConsumerTask<String, byte[]> decisions = Clusters.watch(companion, Topics.DECISIONS);
        DecisionLoop first = new DecisionLoop(broker.bootstrapServers(), GROUP + "-" + delivery, "a-" + delivery, 1, delivery).start();
        DecisionLoop second = null;
        try {
            for (String cluster : clusters) {
                Clusters.write(companion,
                        new ClusterSpecCreated(UUID.randomUUID().toString(), cluster, Instant.now(), 1, Clusters.elastic(0, 10, 300)),
                        new ResourcesRequested(UUID.randomUUID().toString(), cluster, Instant.now(), "r-1", 1, null));
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(clusters)
                    .allSatisfy(cluster -> assertThat(provisioned(decisions, cluster)).hasSize(2)));
            // The loop takes the clusters' new state in once the decisions are acknowledged, a moment after they are on the topic.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(first.ownedClusters()).containsAll(clusters));
            // Their pods wait for the 120 s start timeout: a tick now would change nothing, one after it would.
            Instant requested = Instant.now();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(first.clustersDueAt(requested.plusSeconds(121))).containsAll(clusters));
            assertThat(first.clustersDueAt(requested)).doesNotContainAnyElementsOf(clusters);

            second = new DecisionLoop(broker.bootstrapServers(), GROUP + "-" + delivery, "b-" + delivery, 1, delivery).start();
            DecisionLoop joined = second;
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(joined.ownedClusters()).isNotEmpty();
                assertThat(first.ownedClusters()).isNotEmpty();
                Set<String> union = new HashSet<>(first.ownedClusters());
                union.addAll(joined.ownedClusters());
                assertThat(union).containsAll(clusters);
                assertThat(first.ownedClusters()).doesNotContainAnyElementsOf(joined.ownedClusters());
            });

            first.close();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(joined.ownedClusters()).containsAll(clusters));
            // A snapshot after every batch: the takeover restores the clusters from snapshots alone.
            assertThat(joined.lastRebuildReplayed()).isZero();
            // The deadlines came along too: the new owner ticks the clusters when their start timeout is due.
            assertThat(joined.clustersDueAt(requested.plusSeconds(121))).containsAll(clusters);
            assertThat(joined.clustersDueAt(requested.minusSeconds(1))).doesNotContainAnyElementsOf(clusters);

            for (String cluster : clusters) {
                Clusters.write(companion, new ResourcesRequested(UUID.randomUUID().toString(), cluster, Instant.now(), "r-2", 1, null));
            }
            // The state came along: the next pod is tm-1 (not tm-0 again), and no JobManager is provisioned twice.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(clusters).allSatisfy(cluster ->
                    assertThat(provisioned(decisions, cluster)).containsExactlyInAnyOrder(
                            cluster + "-jm-0", cluster + "-tm-0", cluster + "-tm-1")));
            // Nothing lost, nothing twice: a clean hand-over re-publishes nothing in either delivery mode.
            List<String> published = decisions.getRecords().stream()
                    .filter(record -> clusters.contains(record.key()))
                    .map(record -> new String(record.value(), StandardCharsets.UTF_8)).toList();
            assertThat(published).hasSize(clusters.size() * 3).doesNotHaveDuplicates();
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
            decisions.stop();
        }
    }

    private static List<String> provisioned(ConsumerTask<String, byte[]> decisions, String cluster) {
        return Clusters.decisionsOf(decisions, cluster).stream()
                .filter(ProvisionPod.class::isInstance).map(decision -> ((ProvisionPod) decision).podName()).toList();
    }
}
