package dev.slipway.provisioner.messaging;

import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.messaging.KafkaTracing;
import dev.slipway.provisioning.PodFactSink;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Pod facts onto {@code slipway.resources.v1}, keyed by cluster so they follow the cluster's decisions
 * in order. The producer is idempotent and retries on its own; ids are deterministic, so a fact sent
 * twice (after a restart) is the same event.
 */
public final class FactPublisher implements PodFactSink, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FactPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaTracing tracing;
    private final PodTraces traces;

    public FactPublisher(String bootstrapServers, KafkaTracing tracing, PodTraces traces) {
        this.tracing = tracing;
        this.traces = traces;
        this.producer = new KafkaProducer<>(KafkaClientProperties.idempotentProducer(bootstrapServers), new StringSerializer(),
                new ByteArraySerializer());
    }

    @Override
    public void report(PodFact fact) {
        LOG.infof("%s %s of cluster %s", fact.getClass().getSimpleName(), fact.podName(), fact.clusterId());
        // The fact continues the trace of the pod's creation (PodCreated and PodReady carry it).
        tracing.send(producer, EventRecords.toRecord(fact, EventSources.POD_PROVISIONER, null), traces.of(fact), (metadata, error) -> {
            if (error != null) {
                LOG.errorf(error, "Could not publish %s of %s", fact.getClass().getSimpleName(), fact.podName());
            }
        });
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
