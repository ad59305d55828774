package dev.slipway.messaging;

import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

/**
 * Kafka's own retries for an idempotent outgoing channel configured with {@code retries=0}. That setting turns off the
 * SmallRye connector's re-sends, which would send a failed record again behind the records sent after it, out of its
 * cluster's order. The connector passes the same key to the Kafka producer, where 0 would also turn off Kafka's retries,
 * which keep the order and which an idempotent producer requires (it refuses to start without them): removed here, the
 * producer retries as Kafka does by default, in order, until {@code delivery.timeout.ms}.
 */
@ApplicationScoped
public class InOrderKafkaRetries implements ClientCustomizer<Map<String, Object>> {

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        if (isZero(config.get(ProducerConfig.RETRIES_CONFIG))
                && "true".equals(String.valueOf(config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)))) {
            config.remove(ProducerConfig.RETRIES_CONFIG);
        }
        return config;
    }

    private static boolean isZero(Object value) {
        return value != null && "0".equals(String.valueOf(value).trim());
    }
}
