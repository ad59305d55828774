package dev.slipway.submission.messaging;

import dev.slipway.messaging.TopicSetup;
import dev.slipway.submission.config.SubmissionConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Creates missing topics, then starts the outbox relay; stops it. (The status follower is a channel SmallRye runs.) */
@ApplicationScoped
public class MessagingRuntime {

    private final String bootstrapServers;
    private final SubmissionConfig config;
    private final OutboxRelay relay;

    public MessagingRuntime(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, SubmissionConfig config,
            OutboxRelay relay) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.relay = relay;
    }

    void onStart(@Observes StartupEvent event) {
        TopicSetup.ensure(bootstrapServers, config.topicPartitions(), config.topicReplicationFactor());
        relay.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        relay.stop();
    }
}
