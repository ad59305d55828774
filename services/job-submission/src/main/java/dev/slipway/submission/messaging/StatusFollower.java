package dev.slipway.submission.messaging;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.messaging.EventRecords;
import dev.slipway.submission.service.ClusterStatusService;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.vertx.core.ContextAwareScheduler;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows pod facts on {@code slipway.resources.v1} and health decisions on {@code slipway.decisions.v1} into the clusters'
 * status, through the {@value #CHANNEL} channel of SmallRye Reactive Messaging (configured in application.properties): a
 * consumer group the instances share, one record at a time (each partition's in order), offsets committed once their records
 * are applied (the throttled strategy, with no limit on how long a record may take), the producer's trace continued. A
 * record that fails to apply is tried again with back-off and never skipped: facts are idempotent, and the status must
 * not miss one; the channel waits for it meanwhile.
 */
@ApplicationScoped
public class StatusFollower {

    static final String CHANNEL = "cluster-facts";
    private static final Logger LOG = Logger.getLogger(StatusFollower.class);
    /** The ce_type names worth decoding; ticks, requests and provisioning decisions are skipped by header. */
    private static final Set<String> FOLLOWED = Set.of("dev.slipway.resources.PodCreated", "dev.slipway.resources.PodReady",
            "dev.slipway.resources.PodFailed", "dev.slipway.resources.PodDeleted", "dev.slipway.decisions.ClusterHealthChanged");
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private final ClusterStatusService status;

    public StatusFollower(ClusterStatusService status) {
        this.status = status;
    }

    @Incoming(CHANNEL)
    public Uni<Void> follow(ConsumerRecord<String, byte[]> record) {
        String type = EventRecords.text(record.headers(), CloudEventHeaders.TYPE);
        if (type == null || !FOLLOWED.contains(type)) {
            return Uni.createFrom().voidItem();
        }
        // Rejected records are the producers' to dead-letter; this reader only skips them.
        if (!(EventRecords.decode(record, SlipwayEvent.class) instanceof DecodeResult.Decoded<SlipwayEvent> event)
                || !ClusterStatusService.follows(event.event())) {
            return Uni.createFrom().voidItem();
        }
        // Retries run on this message's Vert.x context, as Hibernate Reactive's sessions require, not on a worker thread.
        ScheduledExecutorService onThisContext = ContextAwareScheduler.delegatingTo(Infrastructure.getDefaultWorkerPool())
                .withCurrentContext();
        return Uni.createFrom().deferred(() -> status.apply(event.event()))
                .onFailure().invoke(e -> LOG.warnf("cluster status: %s/%d/%d failed and is applied again: %s", record.topic(),
                        record.partition(), record.offset(), e.toString()))
                .onFailure().retry().withBackOff(FIRST_RETRY, LAST_RETRY).withExecutor(onThisContext).indefinitely();
    }
}
