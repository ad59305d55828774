package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.contracts.Topics;
import dev.slipway.submission.messaging.KafkaEventSink;
import dev.slipway.testkit.FreePorts;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The relay's sink with no broker behind its channel: a batch fails after one send's max.block.ms, not one per record, and
 * leaves none of its records queued on the channel, so the next batch fails as quickly.
 */
@QuarkusTest
@TestProfile(KafkaEventSinkTest.NoBroker.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class KafkaEventSinkTest {

    /** The outbox channel on a port nobody listens on, waiting 0.5 s for metadata; the relay off (this test publishes). */
    public static class NoBroker implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.outgoing.outbox.bootstrap.servers", "127.0.0.1:" + FreePorts.next(),
                    "mp.messaging.outgoing.outbox.max.block.ms", "500",
                    "slipway.job-submission.outbox.enabled", "false");
        }
    }

    @Inject
    KafkaEventSink sink;

    @Test
    void withoutABrokerABatchFailsAfterOneSendsWaitAndTheNextIsNotHeldBehindIt() {
        List<ProducerRecord<String, byte[]>> batch = IntStream.range(0, 20)
                .mapToObj(i -> new ProducerRecord<>(Topics.RESOURCES, "cluster-" + i, new byte[0])).toList();
        for (int pass = 1; pass <= 2; pass++) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> sink.publish(batch)).as("pass %d", pass).hasRootCauseInstanceOf(TimeoutException.class);
            // One send waits 0.5 s. Were the batch's other records queued on the channel, each would wait as long in turn
            // (about 10 s in all), and the second pass's first record behind them; were the connector's re-sends on, the
            // first record would be tried until delivery.timeout.ms (20 s).
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("pass %d", pass).isLessThan(Duration.ofSeconds(5));
        }
    }
}
