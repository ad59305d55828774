package dev.slipway.logagent;

import static dev.slipway.logagent.FlinkLogs.append;
import static dev.slipway.logagent.FlinkLogs.line;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.logagent.tail.FileTailer;
import dev.slipway.logagent.tail.LogDirectoryTail;
import dev.slipway.logagent.tail.OffsetStore;
import dev.slipway.logagent.tail.Shipment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tailing itself, without Kafka, one listing and one read at a time: the interleavings of
 * listing, rotation and truncation that the agent's loop meets only by chance are set up here on
 * purpose.
 */
class LogDirectoryTailTest {

    @TempDir
    Path root;

    @TempDir
    Path elsewhere;

    private Path dir;
    private Path log;
    private LogDirectoryTail tail;
    private long now;

    @BeforeEach
    void start() {
        dir = FlinkLogs.podDirectory(root, "c-1", "c-1-tm-1", "TASK_MANAGER");
        log = dir.resolve("c-1-tm-1.log");
        // No idle wait: the last record of a live file ships at the next read.
        tail = tail(0);
    }

    private LogDirectoryTail tail(long flushIdleMillis) {
        return new LogDirectoryTail(new FileTailer.Settings(root, ZoneOffset.UTC, 64 * 1024, flushIdleMillis),
                new OffsetStore(elsewhere.resolve("offsets")));
    }

    @AfterEach
    void close() {
        tail.close();
    }

    @Test
    void aRotationThatOneListingMissedEntirelyShipsNothingTwice() throws Exception {
        append(log, line(0, "INFO", "a.B", "one") + line(1, "INFO", "a.B", "two"));
        tail.discover(++now);
        assertThat(messages(readAndAcknowledge())).containsExactly("one", "two");

        // The listing runs while log4j rolls over: the old name is gone and the new ones are not there yet.
        append(log, line(2, "INFO", "a.B", "three"));
        Path away = elsewhere.resolve("in-flight.log");
        Files.move(log, away);
        tail.discover(++now);
        assertThat(tail.files()).isEqualTo(1);
        Files.move(away, dir.resolve("c-1-tm-1.log.1"));
        append(log, line(3, "INFO", "a.B", "four"));

        List<String> shipped = new ArrayList<>(messages(readAndAcknowledge()));
        tail.discover(++now);
        shipped.addAll(messages(readAndAcknowledge()));
        tail.discover(++now);
        shipped.addAll(messages(readAndAcknowledge()));
        assertThat(shipped).containsExactly("three", "four");
        assertThat(tail.files()).isEqualTo(2);
    }

    @Test
    void aRolledFileWhoseNewNameNoListingShowedYetShipsItsLastLineBeforeTheNewFile() throws Exception {
        tail.close();
        tail = tail(60_000); // a live file's last record waits a minute for continuation lines
        append(log, line(0, "INFO", "a.B", "one") + line(1, "INFO", "a.B", "two"));
        tail.discover(++now);
        List<String> shipped = new ArrayList<>(messages(readAndAcknowledge()));
        assertThat(shipped).containsExactly("one");

        // The listing sees the current name only, which already belongs to the new file.
        append(log, line(2, "INFO", "a.B", "three"));
        Path away = elsewhere.resolve("in-flight.log");
        Files.move(log, away);
        append(log, line(3, "INFO", "a.B", "four") + line(4, "INFO", "a.B", "five"));
        tail.discover(++now);
        shipped.addAll(messages(readAndAcknowledge()));
        Files.move(away, dir.resolve("c-1-tm-1.log.1"));
        tail.discover(++now);
        shipped.addAll(messages(readAndAcknowledge()));
        assertThat(shipped).containsExactly("one", "two", "three", "four");

        now += 60_000;
        shipped.addAll(messages(readAndAcknowledge()));
        assertThat(shipped).containsExactly("one", "two", "three", "four", "five");
    }

    @Test
    void afterARestartWhoseFirstListingRacedWithARolloverTheRolledFileGoesOnFromItsRememberedPosition() throws Exception {
        append(log, line(0, "INFO", "a.B", "one") + line(1, "INFO", "a.B", "two"));
        tail.discover(++now);
        assertThat(messages(readAndAcknowledge())).containsExactly("one", "two");
        tail.close();

        // While the agent is down the file is rolled; its first listing after the start sees neither name.
        append(log, line(2, "INFO", "a.B", "three"));
        Path away = elsewhere.resolve("in-flight.log");
        Files.move(log, away);
        tail = tail(0);
        tail.discover(++now);
        Files.move(away, dir.resolve("c-1-tm-1.log.1"));
        append(log, line(3, "INFO", "a.B", "four"));
        tail.discover(++now);

        assertThat(messages(readAndAcknowledge())).containsExactly("three", "four");
    }

    @Test
    void aFileMissingFromTwoListingsInARowIsReadToItsEndAndFinished() throws Exception {
        append(log, line(0, "INFO", "a.B", "one"));
        tail.discover(++now);
        assertThat(messages(readAndAcknowledge())).containsExactly("one");

        append(log, line(1, "INFO", "a.B", "written just before the pod went away"));
        Files.delete(log);
        tail.discover(++now);
        tail.pruneFinished();
        assertThat(tail.files()).isEqualTo(1);

        tail.discover(++now);
        assertThat(messages(readAndAcknowledge())).containsExactly("written just before the pod went away");
        tail.pruneFinished();
        assertThat(tail.files()).isZero();
        assertThat(Files.readString(elsewhere.resolve("offsets"))).doesNotContain("c-1-tm-1.log");
    }

    @Test
    void aFileRewrittenWithAnotherFirstLineIsShippedOnceAsANewFile() throws Exception {
        append(log, line(0, "INFO", "a.B", "one") + line(1, "INFO", "a.B", "two"));
        tail.discover(++now);
        List<LogRecord> first = readAndAcknowledge();
        assertThat(messages(first)).containsExactly("one", "two");

        // Rewritten in place before any listing sees it: the old file's reader must not take the new content.
        byte[] replaced = line(9, "INFO", "a.B", "fresh").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(replaced), 0);
            channel.truncate(replaced.length);
        }
        assertThat(readAndAcknowledge()).isEmpty();

        tail.discover(++now);
        List<LogRecord> again = readAndAcknowledge();
        assertThat(messages(again)).containsExactly("fresh");
        assertThat(again.get(0).offset()).isZero();
        assertThat(again.get(0).eventId()).isNotEqualTo(first.get(0).eventId());
        tail.discover(++now);
        assertThat(readAndAcknowledge()).isEmpty();
    }

    @Test
    void aFileRewrittenInPlaceLongerThanBeforeWithAnotherFirstLineIsShippedOnceAsANewFile() throws Exception {
        append(log, line(0, "INFO", "a.B", "one"));
        tail.discover(++now);
        assertThat(messages(readAndAcknowledge())).containsExactly("one");

        // Longer than what was read: the size never drops below the old reader's position.
        String rewritten = line(7, "INFO", "a.B", "new one") + line(8, "INFO", "a.B", "new two") + line(9, "INFO", "a.B", "new three");
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(rewritten.getBytes(StandardCharsets.UTF_8)), 0);
        }
        assertThat(readAndAcknowledge()).isEmpty();
        tail.discover(++now);
        assertThat(messages(readAndAcknowledge())).containsExactly("new one", "new two", "new three");
        tail.discover(++now);
        assertThat(readAndAcknowledge()).isEmpty();
    }

    private List<LogRecord> readAndAcknowledge() throws Exception {
        List<Shipment> batch = new ArrayList<>();
        tail.read(batch, 1_000, ++now);
        tail.acknowledged(batch);
        return batch.stream().map(Shipment::record).toList();
    }

    private static List<String> messages(List<LogRecord> records) {
        return records.stream().map(LogRecord::message).toList();
    }
}
