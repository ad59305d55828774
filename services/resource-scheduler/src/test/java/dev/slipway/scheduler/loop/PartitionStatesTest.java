package dev.slipway.scheduler.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.FailurePolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.resources.ResourcesRequested;
import dev.slipway.messaging.EventRecords;
import dev.slipway.scheduling.ClusterState;
import dev.slipway.scheduling.Scheduler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The decider's state per partition, its dead letters, snapshots, rebuild from snapshots, and the owned clusters: no broker. */
class PartitionStatesTest {

    private static final TopicPartition P0 = new TopicPartition(Topics.RESOURCES, 0);
    private static final TopicPartition P1 = new TopicPartition(Topics.RESOURCES, 1);
    private static final Instant AT = Instant.parse("2026-12-07T08:00:00Z");

    private final PartitionStates states = new PartitionStates();
    private long offset;

    static ClusterSpec elastic() {
        return new ClusterSpec("test", "team-a", ClusterMode.ELASTIC, "2.2.0", new ProcessSize(1, 1600, 0), 1,
                new ProcessSize(1, 1024, 0), 2, 0, new ElasticPolicy(0, 4, 30), 0,
                new FailurePolicy(120, 3, 10, 160), NetworkProfile.POD_NETWORK, Map.of());
    }

    private ConsumerRecord<String, byte[]> record(TopicPartition partition, String key, ResourceEvent event) {
        ProducerRecord<String, byte[]> produced = EventRecords.toRecord(event, "/test", null);
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset++, AT.toEpochMilli(), TimestampType.CREATE_TIME,
                -1, -1, key, produced.value(), produced.headers(), Optional.empty());
    }

    private ConsumerRecord<String, byte[]> record(TopicPartition partition, ResourceEvent event) {
        return record(partition, event.clusterId(), event);
    }

    private static ClusterSpecCreated created(String cluster) {
        return new ClusterSpecCreated(cluster + "-created", cluster, AT, 1, elastic());
    }

    private static ResourcesRequested requested(String cluster, String requestId) {
        return new ResourcesRequested(cluster + "-" + requestId, cluster, AT, requestId, 1, null);
    }

    @Test
    void aRequestOfAKnownClusterIsDecidedAndTouchesItsCluster() {
        assertThat(states.apply(P0, record(P0, created("alpha")))).get().asList().singleElement()
                .extracting(decision -> ((ProvisionPod) decision).role()).isEqualTo(PodRole.JOB_MANAGER);
        Optional<List<Decision>> decisions = states.apply(P0, record(P0, requested("alpha", "r-1")));

        assertThat(decisions).isPresent();
        assertThat(decisions.get()).singleElement().isInstanceOfSatisfying(ProvisionPod.class, provision -> {
            assertThat(provision.role()).isEqualTo(PodRole.TASK_MANAGER);
            assertThat(provision.requestId()).isEqualTo("r-1");
        });
        Map<String, Optional<ClusterState>> touched = states.takeTouched();
        assertThat(touched).containsOnlyKeys("alpha");
        assertThat(touched.get("alpha")).get().extracting(ClusterState::clusterId).isEqualTo("alpha");
        assertThat(states.takeTouched()).as("taken once").isEmpty();
    }

    @Test
    void aRecordKeyedByAnotherClusterIsADeadLetterNamingBothIds() {
        ConsumerRecord<String, byte[]> misKeyed = record(P0, "beta", created("alpha"));

        assertThat(states.apply(P0, misKeyed)).isEmpty();
        assertThat(PartitionStates.deadLetterReason(misKeyed))
                .isEqualTo("KEY_MISMATCH: record key 'beta' is not the event's cluster id 'alpha'");
        assertThat(states.takeTouched()).isEmpty();
        assertThat(states.clusters()).isEmpty();
    }

    @Test
    void aRecordThatIsNoResourceEventIsADeadLetterSayingWhy() {
        ProducerRecord<String, byte[]> produced = EventRecords.toRecord(created("alpha"), "/test", null);
        ConsumerRecord<String, byte[]> garbled = new ConsumerRecord<>(Topics.RESOURCES, 0, 7, AT.toEpochMilli(),
                TimestampType.CREATE_TIME, -1, -1, "alpha", "{not json".getBytes(StandardCharsets.UTF_8), produced.headers(),
                Optional.empty());

        assertThat(states.apply(P0, garbled)).isEmpty();
        assertThat(PartitionStates.deadLetterReason(garbled)).isNotBlank().doesNotStartWith("KEY_MISMATCH");
    }

    @Test
    void aSnapshotIsDueAfterEnoughEventsAndHoldsOnlyTheClustersThatChanged() {
        states.apply(P0, record(P0, created("alpha")));
        states.apply(P0, record(P0, created("beta")));
        states.apply(P1, record(P1, created("gamma")));
        assertThat(states.snapshotIfDue(P0, 2, 3)).as("2 events of 3").isEmpty();

        states.apply(P0, record(P0, requested("alpha", "r-1")));
        PartitionStates.Snapshot snapshot = states.snapshotIfDue(P0, 3, 3).orElseThrow();

        assertThat(snapshot.clusters()).extracting(s -> s.cluster().clusterId()).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(snapshot.clusters()).allSatisfy(s -> assertThat(s.offset()).isEqualTo(3));
        assertThat(snapshot.marker().cluster()).isNull();
        assertThat(snapshot.marker().partition()).isZero();
        assertThat(snapshot.marker().offset()).isEqualTo(3);
        assertThat(states.snapshotIfDue(P0, 3, 1)).as("counted from the snapshot on").isEmpty();
        states.apply(P0, record(P0, requested("beta", "r-2")));
        assertThat(states.snapshotIfDue(P0, 4, 1).orElseThrow().clusters()).extracting(s -> s.cluster().clusterId())
                .containsExactly("beta");
    }

    @Test
    void aRebuildRestoresTheClustersOfAConsistentSnapshotAndReplaysFromItsMarker() {
        states.apply(P0, record(P0, created("alpha")));
        states.apply(P0, record(P0, requested("alpha", "r-1")));
        PartitionStates.Snapshot snapshot = states.snapshotIfDue(P0, 2, 1).orElseThrow();
        Map<String, SnapshotRecord> latest = new HashMap<>();
        snapshot.clusters().forEach(s -> latest.put(s.key(), s));
        latest.put(snapshot.marker().key(), snapshot.marker());

        Scheduler rebuilt = new Scheduler();
        assertThat(PartitionRebuilder.restore(P0, 5, latest, rebuilt)).isEqualTo(2);
        assertThat(rebuilt.cluster("alpha")).get().extracting(state -> state.pods().size()).as("JobManager and TaskManager")
                .isEqualTo(2);

        assertThat(PartitionRebuilder.restore(P0, 1, latest, new Scheduler())).as("marker after the committed offset").isZero();
        assertThat(PartitionRebuilder.restore(P1, 5, latest, new Scheduler())).as("no marker of the partition").isZero();
        Map<String, SnapshotRecord> halfWritten = new HashMap<>(latest);
        halfWritten.put("beta", new SnapshotRecord(0, 4, snapshot.clusters().get(0).cluster()));
        assertThat(PartitionRebuilder.restore(P0, 5, halfWritten, new Scheduler())).as("a snapshot newer than its marker").isZero();
    }

    @Test
    void ownedClustersAreThoseWithASpecNotDeletedAndTheyAreDueAtTheirDeadline() {
        OwnedClusters owned = new OwnedClusters();
        states.apply(P0, record(P0, created("alpha")));
        states.apply(P1, record(P1, created("beta")));
        owned.update(states.takeTouched());
        assertThat(owned.owned()).containsExactlyInAnyOrder("alpha", "beta");
        assertThat(owned.dueAt(AT)).as("their JobManagers' start timeouts are ahead").isEmpty();
        assertThat(owned.dueAt(AT.plusSeconds(86_400))).containsExactlyInAnyOrder("alpha", "beta");

        states.apply(P1, record(P1, new ClusterDeleted("beta-deleted", "beta", AT, 2)));
        owned.update(states.takeTouched());
        assertThat(owned.owned()).containsExactly("alpha");
        assertThat(owned.dueAt(AT.plusSeconds(86_400))).as("a deleted cluster waits for nothing").containsExactly("alpha");

        states.remove(List.of(P0));
        owned.replaceWith(states.clusters());
        assertThat(owned.owned()).as("partition 0 went to another instance").isEmpty();
        assertThat(owned.dueAt(AT.plusSeconds(86_400))).isEmpty();
    }
}
