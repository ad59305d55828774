package dev.slipway.messaging;

import dev.slipway.contracts.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates Slipway's topics when they are missing (an operator may create them beforehand with other settings). */
public final class TopicSetup {

    public static final List<String> ALL =
            List.of(Topics.RESOURCES, Topics.DECISIONS, Topics.JOBS, Topics.LOGS, Topics.METRICS, Topics.DEAD_LETTER);

    /** Topics of which only each key's newest record counts. */
    public static final List<String> COMPACTED = List.of(Topics.SCHEDULER_SNAPSHOTS, Topics.CREDENTIALS);

    private static final Duration LEADER_WAIT = Duration.ofSeconds(30);

    private TopicSetup() {
    }

    /**
     * A topic is usable once each partition has a leader. Writing before that gets NOT_LEADER_OR_FOLLOWER, and
     * an idempotent producer's retries of it were seen to stall for minutes on out-of-order sequence errors.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
                if (described.values().stream().flatMap(topic -> topic.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
    }

    public static void ensure(String bootstrapServers, int partitions, short replicationFactor) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>(ALL.stream().filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, partitions, replicationFactor)).toList());
            // Only the newest record of each key matters: a scheduler's snapshot, a cluster's token generation.
            for (String compacted : COMPACTED) {
                if (!existing.contains(compacted)) {
                    missing.add(new NewTopic(compacted, partitions, replicationFactor).configs(Map.of("cleanup.policy", "compact")));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
                awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create Slipway's topics on " + bootstrapServers + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }
}
