package dev.slipway.logagent.parse;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses lines of Flink's log4j layout ({@code FlinkJvmOptions.LOG_PATTERN}):
 * <pre>2025-01-31 12:00:00,123 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor            [] - Connecting</pre>
 * A line that does not start with such a timestamp is a continuation of the event before it (a
 * stack trace, a multi-line message). Pure: no clock, no I/O.
 */
public final class FlinkLogParser {

    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
    private static final int TIMESTAMP_LENGTH = "yyyy-MM-dd HH:mm:ss,SSS".length();

    /** After the timestamp: level, optional [thread], logger, optional [context], " - ", message. */
    private static final Pattern REST = Pattern.compile(
            "(\\S+)\\s+(?:\\[([^\\]]*)\\]\\s+)?(\\S+)\\s+(?:\\[([^\\]]*)\\]\\s*)?-(?: (.*))?", Pattern.DOTALL);

    private FlinkLogParser() {
    }

    /** True if the line starts a new log event (it begins with Flink's timestamp). */
    public static boolean startsEvent(CharSequence line) {
        if (line.length() < TIMESTAMP_LENGTH + 1 || line.charAt(TIMESTAMP_LENGTH) != ' ') {
            return false;
        }
        for (int i = 0; i < TIMESTAMP_LENGTH; i++) {
            char c = line.charAt(i);
            boolean ok = switch (i) {
                case 4, 7 -> c == '-';
                case 10 -> c == ' ';
                case 13, 16 -> c == ':';
                case 19 -> c == ',';
                default -> c >= '0' && c <= '9';
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The fields of an event's first line, or null when the line does not start an event. A line with
     * a timestamp but another layout after it keeps everything after the timestamp as its message.
     */
    public static FlinkLogLine parse(String line) {
        if (!startsEvent(line)) {
            return null;
        }
        LocalDateTime time;
        try {
            time = LocalDateTime.of(num(line, 0, 4), num(line, 5, 7), num(line, 8, 10),
                    num(line, 11, 13), num(line, 14, 16), num(line, 17, 19), num(line, 20, 23) * 1_000_000);
        } catch (DateTimeException e) {
            return null;
        }
        String rest = line.substring(TIMESTAMP_LENGTH + 1);
        Matcher m = REST.matcher(rest);
        if (m.matches() && LEVELS.contains(m.group(1))) {
            String context = m.group(4);
            return new FlinkLogLine(time, m.group(1), m.group(2), m.group(3),
                    context == null || context.isEmpty() ? null : context,
                    m.group(5) == null ? "" : m.group(5));
        }
        String level = null;
        int space = rest.indexOf(' ');
        if (space > 0 && LEVELS.contains(rest.substring(0, space))) {
            level = rest.substring(0, space);
            rest = rest.substring(space).stripLeading();
        }
        return new FlinkLogLine(time, level, null, null, null, rest);
    }

    private static int num(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (s.charAt(i) - '0');
        }
        return value;
    }
}
