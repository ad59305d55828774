package dev.slipway.provisioner.messaging;

import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaMessages;
import dev.slipway.messaging.KafkaTracing;
import dev.slipway.provisioning.PodFactSink;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Pod facts onto {@code slipway.resources.v1} through the {@value #CHANNEL} channel of SmallRye Reactive Messaging
 * (configured in application.properties), keyed by cluster so they follow the cluster's decisions in order. The channel's
 * producer is idempotent and retries on its own; ids are deterministic, so a fact sent twice (after a restart) is the same
 * event. Reporting never blocks the backend's thread: the channel sends in the order facts are reported. While the broker
 * is away, facts wait in the emitter's buffer, unbounded: the emitter's default (128 behind the connector's 1,024 in
 * flight) dropped every fact beyond it, and a fact dropped is a pod nobody hears of (a fleet's broker restart left pods of
 * deleted clusters running that way). Their number is bounded by the pods' changes during the outage, since no decision
 * arrives while the broker is away. A fact Kafka still cannot take within its delivery timeout (2 minutes) is logged.
 */
@ApplicationScoped
public class FactPublisher implements PodFactSink {

    static final String CHANNEL = "pod-facts";
    private static final Logger LOG = Logger.getLogger(FactPublisher.class);

    private final MutinyEmitter<byte[]> emitter;
    private final KafkaTracing tracing;
    private final PodTraces traces;

    public FactPublisher(@Channel(CHANNEL) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<byte[]> emitter,
            KafkaTracing tracing, PodTraces traces) {
        this.emitter = emitter;
        this.tracing = tracing;
        this.traces = traces;
    }

    @Override
    public void report(PodFact fact) {
        LOG.infof("%s %s of cluster %s", fact.getClass().getSimpleName(), fact.podName(), fact.clusterId());
        ProducerRecord<String, byte[]> record = EventRecords.toRecord(fact, EventSources.POD_PROVISIONER, null);
        // The fact continues the trace of the pod's creation (PodCreated and PodReady carry it), under a PRODUCER span that
        // ends with the broker's acknowledgement.
        KafkaMessages.send(emitter, record, tracing.startSend(record, traces.of(fact))).subscribe().with(acknowledged -> { },
                error -> LOG.errorf(error, "Could not publish %s of %s", fact.getClass().getSimpleName(), fact.podName()));
    }
}
