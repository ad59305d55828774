package dev.slipway.logagent;

import static dev.slipway.logagent.FlinkLogs.append;
import static dev.slipway.logagent.FlinkLogs.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.logagent.config.AgentConfig;
import dev.slipway.logagent.config.AgentOptions;
import dev.slipway.logagent.ship.KafkaLogShipper;
import dev.slipway.messaging.TopicSetup;
import dev.slipway.testkit.EmbeddedKafkaExtension;
import dev.slipway.testkit.KafkaEndpoint;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The agent in this JVM against the shared embedded broker, with real files in a temporary directory. */
@ExtendWith(EmbeddedKafkaExtension.class)
class LogAgentTest {

    private static final String TM_LOGGER = "org.apache.flink.runtime.taskexecutor.TaskExecutor";
    private static String bootstrap;

    @TempDir
    Path root;

    private final String cluster = "c-" + UUID.randomUUID().toString().substring(0, 8);
    private LogAgent agent;
    private Thread thread;
    private LogsOnTopic topic;

    @BeforeAll
    static void topics(KafkaEndpoint kafka) {
        bootstrap = kafka.bootstrapServers();
        TopicSetup.ensure(bootstrap, 4, (short) 1);
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
            thread.join(10_000);
        }
        if (topic != null) {
            topic.close();
        }
    }

    static AgentConfig testConfig(Path root, String bootstrap) {
        return AgentConfig.of(root, bootstrap)
                .with(AgentOptions.POLL_INTERVAL, "50")
                .with(AgentOptions.BATCH_LINGER, "10")
                .with(AgentOptions.FLUSH_IDLE, "200")
                .with(AgentOptions.SEND_TIMEOUT, "3000")
                .with(AgentOptions.RETRY_INITIAL, "100")
                .with(AgentOptions.RETRY_MAX, "500")
                .with(AgentOptions.TIME_ZONE, "UTC");
    }

    private void startAgent() {
        AgentConfig config = testConfig(root, bootstrap);
        agent = new LogAgent(config, new KafkaLogShipper(config), Clock.systemUTC());
        thread = new Thread(agent, "log-agent");
        thread.start();
        topic = new LogsOnTopic(bootstrap, cluster);
    }

    private List<LogRecord> awaitMessages(List<String> expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(topic.messages()).containsExactlyElementsOf(expected));
        return topic.distinct();
    }

    @Test
    void aLogFilesLinesArriveAsLogRecordsWithTheirFields() throws Exception {
        Path dir = FlinkLogs.podDirectory(root, cluster, cluster + "-tm-1", "TASK_MANAGER");
        Path log = dir.resolve(cluster + "-tm-1.log");
        String first = line(0, "INFO", TM_LOGGER, "Starting TaskManager");
        append(log, first + line(1, "WARN", "org.apache.flink.runtime.io.network.Netty", "slow - network"));
        startAgent();

        List<LogRecord> records = awaitMessages(List.of("Starting TaskManager", "slow - network"));
        LogRecord start = records.get(0);
        assertThat(start.clusterId()).isEqualTo(cluster);
        assertThat(start.podName()).isEqualTo(cluster + "-tm-1");
        assertThat(start.role()).isEqualTo(PodRole.TASK_MANAGER);
        assertThat(start.level()).isEqualTo("INFO");
        assertThat(start.logger()).isEqualTo(TM_LOGGER);
        assertThat(start.thread()).isNull();
        assertThat(start.occurredAt()).isEqualTo(LocalDateTime.of(2026, 1, 31, 12, 0, 0).toInstant(ZoneOffset.UTC));
        assertThat(start.file()).isEqualTo(cluster + "/" + cluster + "-tm-1/" + cluster + "-tm-1.log");
        assertThat(start.offset()).isZero();
        assertThat(records.get(1).level()).isEqualTo("WARN");
        assertThat(records.get(1).offset()).isEqualTo(first.getBytes(StandardCharsets.UTF_8).length);

        // A pod that appears later is picked up too; the role comes from its name when pod.properties is missing.
        Path jm = root.resolve(cluster).resolve(cluster + "-jm-0");
        Files.createDirectories(jm);
        append(jm.resolve(cluster + "-jm-0.log"), line(2, "INFO", "org.apache.flink.runtime.jobmaster.JobMaster", "job running"));
        List<LogRecord> all = awaitMessages(List.of("Starting TaskManager", "slow - network", "job running"));
        assertThat(all.get(2).role()).isEqualTo(PodRole.JOB_MANAGER);
        assertThat(all.get(2).podName()).isEqualTo(cluster + "-jm-0");
        assertThat(topic.distinct()).hasSize(3);
    }

    @Test
    void aStackTraceIsOneRecord() {
        Path log = FlinkLogs.podDirectory(root, cluster, cluster + "-jm-0", "JOB_MANAGER").resolve(cluster + "-jm-0.log");
        String trace = String.join("\n",
                "java.lang.IllegalStateException: checkpoint failed",
                "\tat org.apache.flink.runtime.checkpoint.CheckpointCoordinator.trigger(CheckpointCoordinator.java:42)",
                "\tat java.base/java.lang.Thread.run(Thread.java:840)",
                "Caused by: java.io.IOException: disk full",
                "\t... 2 more");
        append(log, line(0, "INFO", "a.B", "before") + line(1, "ERROR", "org.apache.flink.runtime.checkpoint.CheckpointCoordinator",
                "Checkpoint 7 failed") + trace + "\n");
        startAgent();
        // The trace is the last event in the file: it ships once the file is quiet, still as one record.
        List<LogRecord> records = awaitMessages(List.of("before", "Checkpoint 7 failed\n" + trace));
        assertThat(records.get(1).level()).isEqualTo("ERROR");

        append(log, line(2, "INFO", "a.B", "after"));
        awaitMessages(List.of("before", "Checkpoint 7 failed\n" + trace, "after"));
        assertThat(topic.distinct()).hasSize(3);
    }

    @Test
    void followsRotationFinishingTheOldFileBeforeTheNewOne() throws Exception {
        Path dir = FlinkLogs.podDirectory(root, cluster, cluster + "-tm-2", "TASK_MANAGER");
        Path log = dir.resolve(cluster + "-tm-2.log");
        append(log, line(0, "INFO", "a.B", "one") + line(1, "INFO", "a.B", "two") + line(2, "INFO", "a.B", "three"));
        startAgent();
        awaitMessages(List.of("one", "two", "three"));

        // log4j's rollover: the last lines go to the old file, it is renamed, a new file starts.
        append(log, line(3, "INFO", "a.B", "four") + line(4, "INFO", "a.B", "five"));
        Files.move(log, dir.resolve(cluster + "-tm-2.log.1"));
        append(log, line(5, "INFO", "a.B", "six") + line(6, "INFO", "a.B", "seven"));

        List<LogRecord> records = awaitMessages(List.of("one", "two", "three", "four", "five", "six", "seven"));
        assertThat(records.get(5).offset()).isZero();
        assertThat(records.get(5).file()).endsWith("-tm-2.log");
        assertThat(records.stream().map(LogRecord::eventId).distinct()).hasSize(7);
        assertThat(topic.distinct()).hasSize(7);

        // And once more, with the older file moving on to .2.
        Files.move(dir.resolve(cluster + "-tm-2.log.1"), dir.resolve(cluster + "-tm-2.log.2"));
        append(log, line(7, "INFO", "a.B", "eight"));
        Files.move(log, dir.resolve(cluster + "-tm-2.log.1"));
        append(log, line(8, "INFO", "a.B", "nine"));
        awaitMessages(List.of("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"));
        assertThat(topic.distinct()).hasSize(9);
    }

    @Test
    void followsTruncationFromTheStart() throws Exception {
        Path log = FlinkLogs.podDirectory(root, cluster, cluster + "-tm-3", "TASK_MANAGER").resolve(cluster + "-tm-3.log");
        String first = line(0, "INFO", "a.B", "one");
        append(log, first + line(1, "INFO", "a.B", "two") + line(2, "INFO", "a.B", "three"));
        startAgent();
        awaitMessages(List.of("one", "two", "three"));

        // Truncated in place and written anew, beginning with the very same line: a new generation, new ids.
        overwrite(log, first + line(3, "INFO", "a.B", "x"));
        List<LogRecord> records = awaitMessages(List.of("one", "two", "three", "one", "x"));
        assertThat(records.get(3).offset()).isZero();
        assertThat(records.get(3).eventId()).isNotEqualTo(records.get(0).eventId());

        // Emptied (copytruncate style), then a different first line: a new file from 0.
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        append(log, line(9, "INFO", "a.B", "fresh"));
        awaitMessages(List.of("one", "two", "three", "one", "x", "fresh"));
        assertThat(topic.distinct().get(5).offset()).isZero();
        assertThat(topic.distinct()).hasSize(6);
    }

    /** Rewrites the file from the start without it ever being empty, then cuts it: size drops below the read offset. */
    private static void overwrite(Path file, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), 0);
            channel.truncate(bytes.length);
        }
    }
}
