package dev.slipway.provisioner.messaging;

import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

/**
 * Kafka's own retries for the {@value FactPublisher#CHANNEL} channel's producer. The channel's {@code retries=0} turns off the
 * connector's re-sends, which would send a failed fact again behind the facts reported after it, out of its cluster's
 * order. The connector passes that same key to the Kafka producer, where 0 would also turn off Kafka's retries, which keep
 * the order and which an idempotent producer requires (it refuses to start without them): removed here, the producer
 * retries as Kafka does by default, in order, until {@code delivery.timeout.ms}.
 */
@ApplicationScoped
public class ProducerRetries implements ClientCustomizer<Map<String, Object>> {

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        if (FactPublisher.CHANNEL.equals(channel)) {
            config.remove(ProducerConfig.RETRIES_CONFIG);
        }
        return config;
    }
}
