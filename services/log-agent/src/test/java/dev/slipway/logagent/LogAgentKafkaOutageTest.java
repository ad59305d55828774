package dev.slipway.logagent;

import static dev.slipway.logagent.FlinkLogs.append;
import static dev.slipway.logagent.FlinkLogs.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.logagent.config.AgentConfig;
import dev.slipway.logagent.ship.KafkaLogShipper;
import dev.slipway.testkit.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka goes away while lines keep coming: the agent holds its batch, stops reading, and loses nothing. */
class LogAgentKafkaOutageTest {

    @TempDir
    Path root;

    @Test
    void kafkaStoppedThenRestartedLosesNothing() throws Exception {
        String cluster = "outage";
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onRandomPorts().start();
        AgentConfig config = LogAgentTest.testConfig(root, broker.bootstrapServers());
        LogAgent agent = new LogAgent(config, new KafkaLogShipper(config), Clock.systemUTC());
        Thread thread = new Thread(agent, "log-agent");
        Path log = FlinkLogs.podDirectory(root, cluster, "outage-tm-1", "TASK_MANAGER").resolve("outage-tm-1.log");
        List<String> expected = new ArrayList<>();
        try (LogsOnTopic topic = new LogsOnTopic(broker.bootstrapServers(), cluster)) {
            appendLines(log, expected, 0, 5);
            thread.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(topic.messages()).containsExactlyElementsOf(expected));
            // The agent counts a batch once its send returns, which may be after the consumer saw the records.
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.shippedRecords() >= expected.size());
            long shippedBefore = agent.shippedRecords();

            broker.stop();
            appendLines(log, expected, 5, 300);
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.backingOff() && agent.failedAttempts() >= 2);
            assertThat(agent.shippedRecords()).isEqualTo(shippedBefore);
            appendLines(log, expected, 305, 50); // written during the outage, read after it

            broker.start();
            await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(topic.messages()).containsExactlyElementsOf(expected));
            List<LogRecord> all = topic.poll();
            assertThat(all.stream().map(LogRecord::eventId).collect(Collectors.toSet())).hasSize(expected.size());
            assertThat(agent.backingOff()).isFalse();
        } finally {
            agent.stop(10_000);
            broker.stop();
        }
    }

    private static void appendLines(Path log, List<String> expected, int from, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = from; i < from + count; i++) {
            String message = "line " + i;
            text.append(line(i, "INFO", "org.apache.flink.Example", message));
            expected.add(message);
        }
        append(log, text.toString());
    }
}
