package dev.slipway.e2e;

import static io.restassured.RestAssured.given;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.PodAssigned;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.decisions.RequestRefused;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.resources.ResourcesRequested;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What must hold after a fleet run, checked from the topics and a scheduler's answers: every request answered (pods or a
 * refusal with its reason), no pod alive that the scheduler does not know (an orphan), no pod left of a deleted cluster,
 * and replays that reproduce the published decisions.
 */
public final class FleetAudit {

    /** Counts; unanswered, orphans, unknownToFacts, leftForDeleted and replayDifferences must be 0. */
    public record Result(int requests, int unanswered, int refusedRequests, int podsCreated, int livePods, int orphans,
            int unknownToFacts, int leftForDeleted, int replayed, int replayDifferences, List<String> examples) {

        public boolean nothingLost() {
            return unanswered == 0 && orphans == 0 && unknownToFacts == 0 && leftForDeleted == 0 && replayDifferences == 0;
        }
    }

    private final String bootstrapServers;
    private final String schedulerUrl;
    private final String operatorToken;

    public FleetAudit(String bootstrapServers, String schedulerUrl, String operatorToken) {
        this.bootstrapServers = bootstrapServers;
        this.schedulerUrl = schedulerUrl;
        this.operatorToken = operatorToken;
    }

    /** Audits until everything holds or {@code within} passed, then answers the last audit. */
    public Result settleAndCheck(List<String> clusters, List<String> deleted, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Result result;
        do {
            Thread.sleep(2000);
            // Replays only once the rest holds: a decision still on its way is not a difference.
            result = check(clusters, deleted, false);
            if (result.nothingLost()) {
                result = check(clusters, deleted, true);
            }
            System.out.printf("fleet audit: unanswered=%d orphans=%d unknownToFacts=%d leftForDeleted=%d replayDifferences=%d%n",
                    result.unanswered(), result.orphans(), result.unknownToFacts(), result.leftForDeleted(), result.replayDifferences());
        } while (!(result.nothingLost() && result.replayed() > 0) && System.nanoTime() < deadline);
        return result.replayed() > 0 ? result : check(clusters, deleted, true);
    }

    private Result check(List<String> clusters, List<String> deletedClusters, boolean replay) throws InterruptedException {
        Map<String, Integer> requested = new HashMap<>();
        Map<String, Set<String>> livePods = new HashMap<>();
        int[] created = new int[1];
        readAll(Topics.RESOURCES, record -> {
            if (!(EventRecords.decode(record, ResourceEvent.class) instanceof DecodeResult.Decoded<ResourceEvent> decoded)) {
                return;
            }
            ResourceEvent event = decoded.event();
            Set<String> live = livePods.computeIfAbsent(event.clusterId(), id -> new HashSet<>());
            if (event instanceof ResourcesRequested request) {
                requested.merge(event.clusterId() + "/" + request.requestId(), request.count(), Math::max);
            } else if (event instanceof PodCreated pod) {
                created[0]++;
                live.add(pod.podName());
            } else if (event instanceof PodReady pod) {
                live.add(pod.podName());
            } else if (event instanceof PodDeleted pod) {
                live.remove(pod.podName());
            } else if (event instanceof PodFailed pod) {
                live.remove(pod.podName());
            }
        });
        Map<String, Integer> answered = new HashMap<>();
        readAll(Topics.DECISIONS, record -> {
            if (!(EventRecords.decode(record, Decision.class) instanceof DecodeResult.Decoded<Decision> decoded)) {
                return;
            }
            Decision decision = decoded.event();
            if (decision instanceof ProvisionPod provision && provision.requestId() != null) {
                answered.merge(provision.clusterId() + "/" + provision.requestId() + "/" + provision.podName(), 1, (a, b) -> a);
            } else if (decision instanceof PodAssigned assigned) {
                answered.merge(assigned.clusterId() + "/" + assigned.requestId() + "/" + assigned.podName(), 1, (a, b) -> a);
            } else if (decision instanceof RequestRefused refused) {
                answered.merge(refused.clusterId() + "/" + refused.requestId() + "/refused", refused.refused(), Math::max);
            }
        });
        Map<String, Integer> answeredPerRequest = new HashMap<>();
        int[] refusedRequests = new int[1];
        answered.forEach((key, count) -> {
            String request = key.substring(0, key.lastIndexOf('/'));
            if (key.endsWith("/refused")) {
                refusedRequests[0]++;
            }
            answeredPerRequest.merge(request, count, Integer::sum);
        });
        List<String> examples = new ArrayList<>();
        int unanswered = 0;
        for (Map.Entry<String, Integer> request : requested.entrySet()) {
            if (answeredPerRequest.getOrDefault(request.getKey(), 0) < request.getValue()) {
                unanswered++;
                if (examples.size() < 5) {
                    examples.add("unanswered " + request.getKey());
                }
            }
        }
        Set<String> deleted = Set.copyOf(deletedClusters);
        int leftForDeleted = 0;
        int orphans = 0;
        int unknownToFacts = 0;
        int live = 0;
        for (String cluster : clusters) {
            Set<String> byFacts = livePods.getOrDefault(cluster, Set.of());
            live += byFacts.size();
            if (deleted.contains(cluster)) {
                leftForDeleted += byFacts.size();
                continue;
            }
            Set<String> byScheduler = new TreeSet<>(given().header("Authorization", "Bearer " + operatorToken)
                    .get(schedulerUrl + "/api/v1/clusters/" + cluster + "/state").then().statusCode(200).extract().jsonPath()
                    .getList("pods.findAll { it.status != 'TERMINATING' }.name", String.class));
            for (String pod : byFacts) {
                if (!byScheduler.contains(pod)) {
                    orphans++;
                    if (examples.size() < 10) {
                        examples.add("orphan " + cluster + "/" + pod);
                    }
                }
            }
            for (String pod : byScheduler) {
                if (!byFacts.contains(pod)) {
                    unknownToFacts++;
                    if (examples.size() < 10) {
                        examples.add("not running " + cluster + "/" + pod);
                    }
                }
            }
        }
        int replayed = 0;
        int differences = 0;
        if (replay) {
            long started = System.nanoTime();
            // Two at a time, the scheduler's default limit of concurrent replays: each one waits on Kafka for much of its time.
            ExecutorService replays = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<Object>>> answers = new ArrayList<>();
                for (String cluster : clusters.subList(0, Math.min(clusters.size(), 50))) {
                    answers.add(replays.submit(() -> given().header("Authorization", "Bearer " + operatorToken)
                            .contentType("application/json").body("{}").post(schedulerUrl + "/api/v1/clusters/" + cluster + "/replay")
                            .then().statusCode(200).extract().jsonPath().getList("differences")));
                }
                for (int i = 0; i < answers.size(); i++) {
                    List<Object> found = answers.get(i).get();
                    replayed++;
                    differences += found.size();
                    if (!found.isEmpty() && examples.size() < 10) {
                        examples.add("replay of " + clusters.get(i) + ": " + found.get(0));
                    }
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("a replay failed", e.getCause());
            } finally {
                replays.shutdownNow();
            }
            System.out.printf("fleet audit: %d replays in %d ms%n", replayed, (System.nanoTime() - started) / 1_000_000);
        }
        return new Result(requested.size(), unanswered, refusedRequests[0], created[0], live, orphans, unknownToFacts, leftForDeleted,
                replayed, differences, List.copyOf(examples));
    }

    private void readAll(String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClientProperties.boundedReader(bootstrapServers),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }
}
