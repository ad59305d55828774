package dev.slipway.scheduler.messaging;

import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.resources.ClockTicked;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Writes time into the log: a {@link ClockTicked} every tick interval for each cluster this instance
 * owns that waits for a timeout or a back-off (other clusters' decisions cannot change with time). Timeouts are then decided from the log, and a replay sees the same ticks. The host reads
 * the clock here, so the decider never has to.
 */
public final class TickEmitter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TickEmitter.class);

    private final Supplier<Set<String>> clusters;
    private final Clock clock;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "tick-emitter"));

    public TickEmitter(String bootstrapServers, Supplier<Set<String>> clusters, Clock clock) {
        this.clusters = clusters;
        this.clock = clock;
        Properties props = KafkaClientProperties.idempotentProducer(bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    public TickEmitter start(Duration interval) {
        executor.scheduleAtFixedRate(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        try {
            for (String cluster : clusters.get()) {
                ClockTicked tick = new ClockTicked(UUID.randomUUID().toString(), cluster, clock.instant());
                producer.send(EventRecords.toRecord(tick, EventSources.RESOURCE_SCHEDULER, null));
            }
        } catch (RuntimeException e) {
            // A missed tick only delays a timeout until the next one.
            LOG.warnf("ticks not sent: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
