package dev.slipway.logagent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.logagent.parse.FlinkLogLine;
import dev.slipway.logagent.parse.FlinkLogParser;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class FlinkLogParserTest {

    @Test
    void parsesFlinksLayoutWithAnEmptyContext() {
        FlinkLogLine line = FlinkLogParser.parse(
                "2026-01-31 12:00:01,042 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor            [] - Connecting to ResourceManager - at pekko://x");
        assertThat(line).isEqualTo(new FlinkLogLine(LocalDateTime.of(2026, 1, 31, 12, 0, 1, 42_000_000), "INFO", null,
                "org.apache.flink.runtime.taskexecutor.TaskExecutor", null, "Connecting to ResourceManager - at pekko://x"));
    }

    @Test
    void parsesAThreadBeforeTheLoggerAContextAndALoggerLongerThanItsColumn() {
        String logger = "org.apache.flink.streaming.runtime.tasks.a.very.long.package.name.that.exceeds.SixtyChars";
        FlinkLogLine line = FlinkLogParser.parse("2026-01-31 12:00:01,042 WARN  [Source: numbers -> Sink (1/2)#0] "
                + logger + " [job-7] - slow");
        assertThat(line.level()).isEqualTo("WARN");
        assertThat(line.thread()).isEqualTo("Source: numbers -> Sink (1/2)#0");
        assertThat(line.logger()).isEqualTo(logger);
        assertThat(line.context()).isEqualTo("job-7");
        assertThat(line.message()).isEqualTo("slow");
    }

    @Test
    void anEmptyMessageAndAnotherLayoutAfterTheTimestampStillParse() {
        assertThat(FlinkLogParser.parse(FlinkLogs.line(0, "ERROR", "a.B", "").stripTrailing()).message()).isEmpty();
        FlinkLogLine other = FlinkLogParser.parse("2026-01-31 12:00:01,042 DEBUG something else entirely");
        assertThat(other.level()).isEqualTo("DEBUG");
        assertThat(other.logger()).isNull();
        assertThat(other.message()).isEqualTo("something else entirely");
    }

    @Test
    void linesWithoutTheTimestampContinueTheEventBefore() {
        assertThat(FlinkLogParser.startsEvent("java.lang.IllegalStateException: boom")).isFalse();
        assertThat(FlinkLogParser.startsEvent("\tat org.apache.flink.Foo.bar(Foo.java:12)")).isFalse();
        assertThat(FlinkLogParser.startsEvent("2026-01-31 12:00:01 INFO no millis")).isFalse();
        assertThat(FlinkLogParser.parse("2026-13-45 12:00:01,042 INFO  a.B [] - impossible date")).isNull();
        assertThat(FlinkLogParser.startsEvent("2026-01-31 12:00:01,042 INFO  a.B [] - x")).isTrue();
    }
}
