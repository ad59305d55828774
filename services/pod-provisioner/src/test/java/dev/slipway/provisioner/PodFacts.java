package dev.slipway.provisioner;

import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.testkit.TopicWatch;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import java.util.List;

/**
 * The pod facts a watch of {@code slipway.resources.v1} has read for one cluster, in order; records that do not decode are
 * skipped.
 */
public final class PodFacts {

    private PodFacts() {
    }

    public static List<PodFact> of(ConsumerTask<String, byte[]> resources, String cluster) {
        return TopicWatch.recordsOf(resources, cluster).stream()
                .map(record -> EventRecords.decode(record, ResourceEvent.class))
                .filter(DecodeResult.Decoded.class::isInstance)
                .map(decoded -> ((DecodeResult.Decoded<ResourceEvent>) decoded).event())
                .filter(PodFact.class::isInstance).map(PodFact.class::cast).toList();
    }

    /** "PodCreated name", "PodReady name", ...: what the tests compare. */
    public static List<String> names(ConsumerTask<String, byte[]> resources, String cluster) {
        return of(resources, cluster).stream().map(fact -> fact.getClass().getSimpleName() + " " + fact.podName()).toList();
    }
}
