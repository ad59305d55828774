package dev.slipway.testkit;

/** Where a Kafka broker answers. */
public record KafkaEndpoint(String bootstrapServers) {
}
