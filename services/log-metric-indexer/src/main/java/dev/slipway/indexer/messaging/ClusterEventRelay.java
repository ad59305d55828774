package dev.slipway.indexer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.jobs.JobEvent;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.ClockTicked;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.TopicTail;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Relays jobs, decisions and pod facts to dashboards as they happen. It reads every partition from
 * the end without a group and commits nothing: it owns no state, and the services that consume these
 * topics for real handle their bad records. Clock ticks are left out (they are for the scheduler).
 */
final class ClusterEventRelay implements AutoCloseable {

    private static final Map<String, Class<? extends SlipwayEvent>> FAMILIES =
            Map.of(Topics.JOBS, JobEvent.class, Topics.DECISIONS, Decision.class, Topics.RESOURCES, ResourceEvent.class);

    private final TopicTail tail;
    private final BroadcastProcessor<ClusterEvent> events;
    private final ObjectMapper json;

    ClusterEventRelay(String bootstrapServers, BroadcastProcessor<ClusterEvent> events, ObjectMapper json) {
        this.tail = new TopicTail(bootstrapServers, "cluster-event-relay", List.copyOf(FAMILIES.keySet()), TopicTail.From.END,
                this::relay);
        this.events = events;
        this.json = json;
    }

    /** What is published after this returns is relayed. */
    ClusterEventRelay start() {
        tail.start();
        return this;
    }

    boolean running() {
        return tail.running();
    }

    private void relay(ConsumerRecord<String, byte[]> record) {
        DecodeResult<? extends SlipwayEvent> decoded = EventRecords.decode(record, FAMILIES.get(record.topic()));
        if (!(decoded instanceof DecodeResult.Decoded<? extends SlipwayEvent> ok) || ok.event() instanceof ClockTicked
                || !ok.event().clusterId().equals(record.key())) {
            return;
        }
        SlipwayEvent event = ok.event();
        try {
            JsonNode payload = json.readTree(record.value());
            events.onNext(new ClusterEvent(event.clusterId(), record.topic(), event.getClass().getSimpleName(), event.eventId(),
                    event.occurredAt(), payload));
        } catch (IOException e) {
            // It decoded, so it is JSON; nothing to relay if it is not.
        }
    }

    @Override
    public void close() {
        tail.close();
    }
}
