package dev.slipway.logagent;

import static dev.slipway.logagent.FlinkLogs.append;
import static dev.slipway.logagent.FlinkLogs.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.logagent.config.AgentConfig;
import dev.slipway.logagent.config.AgentOptions;
import dev.slipway.messaging.TopicSetup;
import dev.slipway.testkit.EmbeddedKafkaExtension;
import dev.slipway.testkit.KafkaEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a real process, killed with SIGKILL in the middle of a stream of lines and started
 * again: every line reaches the topic, and every event id stands for exactly one line.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class LogAgentKillTest {

    private static final int EVENTS = 4000;

    @TempDir
    Path root;

    @Test
    void killDashNineMidStreamThenRestartShipsEveryLineExactlyOnce(KafkaEndpoint kafka) throws Exception {
        TopicSetup.ensure(kafka.bootstrapServers(), 4, (short) 1);
        String cluster = "kill9";
        AgentConfig config = LogAgentTest.testConfig(root, kafka.bootstrapServers())
                .with(AgentOptions.BATCH_SIZE, "50")
                .with(AgentOptions.BATCH_LINGER, "0");
        Path log = FlinkLogs.podDirectory(root, cluster, "kill9-tm-1", "TASK_MANAGER").resolve("kill9-tm-1.log");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            // Every 50th event carries a stack trace: a multi-line record must survive the restart whole.
            expected.add(i % 50 == 7 ? "failure " + i + "\njava.lang.RuntimeException: boom " + i + "\n\tat a.B.c(B.java:" + i + ")" : "line " + i);
        }

        Thread writer = new Thread(() -> {
            for (int i = 0; i < EVENTS; i += 20) {
                StringBuilder chunk = new StringBuilder();
                for (int j = i; j < i + 20; j++) {
                    chunk.append(line(j, j % 50 == 7 ? "ERROR" : "INFO", "org.apache.flink.Example", expected.get(j)));
                }
                append(log, chunk.toString());
                try {
                    Thread.sleep(5); // a steady stream, not one burst
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "flink-writer");

        try (LogsOnTopic topic = new LogsOnTopic(kafka.bootstrapServers(), cluster)) {
            writer.start();
            Process first = startAgent(config, root.resolve("agent-1.out"));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> topic.poll().size() >= 600);
            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            int beforeRestart = topic.poll().size();
            assertThat(beforeRestart).isLessThan(EVENTS); // killed mid-stream

            Process second = startAgent(config, root.resolve("agent-2.out"));
            try {
                writer.join(30_000);
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> assertThat(topic.messages()).containsExactlyElementsOf(expected));
                List<LogRecord> all = topic.poll();
                Map<String, List<LogRecord>> byId = all.stream().collect(Collectors.groupingBy(LogRecord::eventId));
                assertThat(byId).hasSize(EVENTS);
                // A record sent again (acknowledged, killed before the offsets were written) is the same event.
                byId.values().forEach(same -> assertThat(same.stream().map(LogRecord::message).distinct()).hasSize(1));
                assertThat(all.stream().map(LogRecord::message).distinct().count()).isEqualTo(EVENTS);
                Map<String, Long> perLine = topic.distinct().stream()
                        .collect(Collectors.groupingBy(LogRecord::message, Collectors.counting()));
                assertThat(perLine.values()).allMatch(count -> count == 1);
                System.out.printf("kill -9 after %d records on the topic; %d records in all, %d distinct events%n",
                        beforeRestart, all.size(), byId.size());
            } finally {
                second.destroy();
                if (!second.waitFor(15, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
        } finally {
            writer.interrupt();
        }
    }

    private static Process startAgent(AgentConfig config, Path output) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        config.asProperties().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LogAgentMain.class.getName());
        Files.deleteIfExists(output);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

}
