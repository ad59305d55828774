package dev.slipway.flink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.telemetry.MetricSample;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no broker to reach, the shipper must neither block its caller nor grow: it drops and counts. */
class KafkaSampleShipperTest {

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static MetricSample sample(int i) {
        return new MetricSample("id-" + i, "orders", Instant.now(), "numRecordsOutPerSecond", Map.of("subtask", Integer.toString(i)), i);
    }

    @Test
    void withKafkaDownOfferingNeverBlocksAndEverySampleBeyondTheBufferIsCountedAsDropped() throws Exception {
        ReporterSettings settings = new ReporterSettings("127.0.0.1:" + closedPort(), "orders", "orders-tm-0", 100, 200);
        KafkaSampleShipper shipper = new KafkaSampleShipper(settings, Clock.systemUTC());
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 10_000; i++) {
                shipper.offer(sample(i));
            }
            Duration offering = Duration.ofNanos(System.nanoTime() - start);

            assertThat(offering).isLessThan(Duration.ofSeconds(2));
            assertThat(shipper.dropped()).isGreaterThanOrEqualTo(10_000 - 100 - 500);
            // The sender gives up on what it took from the buffer too: nothing waits for a broker that is not there.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (shipper.dropped() < 10_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(shipper.dropped()).isEqualTo(10_000);
        } finally {
            long closing = System.nanoTime();
            shipper.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void theProducerWaitsLittleAndKeepsItsMemorySmall() {
        ReporterSettings settings = new ReporterSettings("kafka:9092", "orders", "orders-tm-0", 10, 250);

        var props = KafkaSampleShipper.producerProperties(settings);

        assertThat(props).containsEntry("max.block.ms", "250").containsEntry("buffer.memory", Integer.toString(4 * 1024 * 1024))
                .containsEntry("client.id", "slipway-metrics-orders-tm-0");
    }
}
