package dev.slipway.scheduler.service;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.rest.problems.ConcurrencyLimit;
import dev.slipway.scheduler.config.SchedulerConfig;
import dev.slipway.scheduling.Policy;
import dev.slipway.scheduling.replay.DeterminismCheck;
import dev.slipway.scheduling.replay.ProvisionerModel;
import dev.slipway.scheduling.replay.Replay;
import dev.slipway.scheduling.replay.WhatIf;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Replays a cluster's recorded events, read from its partition of {@code slipway.resources.v1},
 * against the decisions published for it on {@code slipway.decisions.v1}.
 */
@ApplicationScoped
public class ReplayService {

    private static final int DIFFERENCES_SHOWN = 20;

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final String bootstrapServers;
    private final ConcurrencyLimit running;

    public ReplayService(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, SchedulerConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.running = new ConcurrencyLimit(config.maxConcurrentReplays(), "replays", RETRY_AFTER);
    }

    /** 429 while {@code slipway.scheduler.max-concurrent-replays} replays are running. */
    public ReplayAnswer replay(String clusterId, Policy whatIf) {
        try (ConcurrencyLimit.Permit permit = running.enter()) {
            return replayNow(clusterId, whatIf);
        }
    }

    /** The limit replays run under; tests hold its permits to see the 429. */
    public ConcurrencyLimit limit() {
        return running;
    }

    private ReplayAnswer replayNow(String clusterId, Policy whatIf) {
        List<ResourceEvent> events = new ArrayList<>();
        List<Decision> published = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> reader = reader()) {
            readCluster(reader, Topics.RESOURCES, clusterId, record -> {
                if (EventRecords.decode(record, ResourceEvent.class) instanceof DecodeResult.Decoded<ResourceEvent> event) {
                    events.add(event.event());
                }
            });
            readCluster(reader, Topics.DECISIONS, clusterId, record -> {
                if (EventRecords.decode(record, Decision.class) instanceof DecodeResult.Decoded<Decision> decision) {
                    published.add(decision.event());
                }
            });
        }
        DeterminismCheck check = Replay.verify(events, published);
        ReplayAnswer.WhatIfAnswer alternative = null;
        if (whatIf != null && !whatIf.recorded()) {
            WhatIf compared = WhatIf.compare(events, ProvisionerModel.DEFAULT, Policy.RECORDED, whatIf);
            alternative = new ReplayAnswer.WhatIfAnswer(whatIf.describe(), compared.baseline(), compared.alternative(),
                    compared.podSecondsSaved(), compared.render());
        }
        return new ReplayAnswer(clusterId, events.size(), published.size(), check.reproduced(),
                check.differences().stream().limit(DIFFERENCES_SHOWN).toList(),
                Replay.run(events, Policy.RECORDED).report(), alternative);
    }

    /** Reads the partition that holds {@code clusterId}'s records, from the beginning to its current end. */
    private static void readCluster(KafkaConsumer<String, byte[]> reader, String topic, String clusterId,
            Consumer<ConsumerRecord<String, byte[]>> sink) {
        int partitions = reader.partitionsFor(topic, Duration.ofSeconds(10)).size();
        // The default partitioner's choice for a key: murmur2 of the key bytes.
        int index = Utils.toPositive(Utils.murmur2(clusterId.getBytes(StandardCharsets.UTF_8))) % partitions;
        TopicPartition partition = new TopicPartition(topic, index);
        reader.assign(List.of(partition));
        reader.seekToBeginning(List.of(partition));
        long end = reader.endOffsets(List.of(partition)).get(partition);
        while (reader.position(partition) < end) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                if (clusterId.equals(record.key())) {
                    sink.accept(record);
                }
            }
        }
    }

    private KafkaConsumer<String, byte[]> reader() {
        return new KafkaConsumer<>(KafkaClientProperties.boundedReader(bootstrapServers), new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
