package dev.slipway.submission.job;

import java.util.regex.Pattern;

/**
 * The one line that says why a job failed: the deepest {@code Caused by} of a Java stack trace (a missing class, a bad SQL
 * identifier), where Flink's own message is usually a generic wrapper ("Could not execute application.", "Internal server
 * error."). Pure.
 */
public final class RootCause {

    private static final String CAUSED_BY = "Caused by: ";
    /** A throwable's first line as a log prints it: {@code java.lang.NoClassDefFoundError: org/apache/...}. */
    private static final Pattern THROWABLE = Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error|Throwable)\\b.*");
    private static final int MAX_LINE = 500;

    private RootCause() {
    }

    /** The deepest cause of a trace (or of Flink's message with its causes); its first line when it names none. */
    public static String of(String trace) {
        if (trace == null || trace.isBlank()) {
            return null;
        }
        String deepest = null;
        for (String line : trace.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.startsWith(CAUSED_BY)) {
                deepest = trimmed.substring(CAUSED_BY.length());
            }
        }
        if (deepest == null) {
            deepest = trace.lines().map(String::strip).filter(line -> !line.isEmpty()).findFirst().orElse(trace.strip());
        }
        return deepest.length() <= MAX_LINE ? deepest : deepest.substring(0, MAX_LINE - 1) + "…";
    }

    /** The trace with its root cause as the first line, so that line alone says why. */
    public static String first(String trace) {
        String root = of(trace);
        if (root == null || trace.strip().startsWith(root)) {
            return trace;
        }
        return root + "\n" + trace;
    }

    /**
     * The deepest cause of the last exception a log printed (a JobManager's, for a failure its REST answer says nothing
     * about); null when the log shows none.
     */
    public static String lastLogged(String log) {
        String deepest = null;
        for (String line : log.lines().toList()) {
            String trimmed = line.strip();
            if (!line.startsWith(" ") && !line.startsWith("\t") && THROWABLE.matcher(trimmed).matches()) {
                deepest = trimmed;
            } else if (deepest != null && trimmed.startsWith(CAUSED_BY)) {
                deepest = trimmed.substring(CAUSED_BY.length());
            }
        }
        return deepest == null ? null : of(deepest);
    }
}
