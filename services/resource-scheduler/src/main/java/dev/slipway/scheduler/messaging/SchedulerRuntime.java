package dev.slipway.scheduler.messaging;

import dev.slipway.messaging.CredentialTable;
import dev.slipway.messaging.KafkaTracing;
import dev.slipway.messaging.TopicSetup;
import dev.slipway.scheduler.config.SchedulerConfig;
import dev.slipway.scheduler.loop.DecisionLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Starts and stops the write path (decision loop, ticks), the read path (resource view) and the revoked tokens' table. */
@ApplicationScoped
public class SchedulerRuntime {

    private static final Logger LOG = Logger.getLogger(SchedulerRuntime.class);

    private final String bootstrapServers;
    private final SchedulerConfig config;
    private final KafkaTracing tracing;
    private final CredentialTable credentials;
    private final ResourceEventPublisher publisher;
    private DecisionLoop loop;
    private TickEmitter ticks;
    private ResourceView view;

    public SchedulerRuntime(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, SchedulerConfig config,
            KafkaTracing tracing, ResourceEventPublisher publisher) {
        this.bootstrapServers = bootstrapServers;
        this.publisher = publisher;
        this.tracing = tracing;
        this.config = config;
        this.credentials = new CredentialTable(bootstrapServers);
    }

    void start(@Observes StartupEvent startup) {
        TopicSetup.ensure(bootstrapServers, config.topicPartitions(), config.topicReplicationFactor());
        String instance = config.instanceId().orElse(UUID.randomUUID().toString().substring(0, 8));
        credentials.start();
        view = new ResourceView(bootstrapServers, config.decisionsKept()).start();
        loop = new DecisionLoop(bootstrapServers, config.consumerGroup(), instance, config.snapshotEveryEvents(),
                config.delivery(), tracing).start();
        ticks = new TickEmitter(publisher, loop::clustersDueAt, Clock.systemUTC()).start(config.tickInterval());
        LOG.infof("resource-scheduler %s deciding in group %s on %s (%s), ticks every %s", instance, config.consumerGroup(),
                bootstrapServers, config.delivery(), config.tickInterval());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (ticks != null) {
            ticks.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (view != null) {
            view.close();
        }
        credentials.close();
    }

    /** Each cluster's lowest token generation still valid; not loaded until it has read every revocation. */
    public CredentialTable credentials() {
        return credentials;
    }

    public ResourceView view() {
        return view;
    }

    public DecisionLoop loop() {
        return loop;
    }
}
