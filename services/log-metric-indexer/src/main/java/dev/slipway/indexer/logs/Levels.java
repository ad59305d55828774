package dev.slipway.indexer.logs;

import java.util.List;
import java.util.Locale;

/** Log levels in order of severity, as Flink's log4j writes them. */
public final class Levels {

    public static final List<String> ORDER = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");

    private Levels() {
    }

    public static String normalize(String level) {
        return level == null ? "INFO" : level.trim().toUpperCase(Locale.ROOT);
    }

    public static boolean known(String level) {
        return ORDER.contains(normalize(level));
    }

    /** Whether {@code level} is {@code minimum} or more severe; unknown levels count as INFO. */
    public static boolean atLeast(String level, String minimum) {
        return rank(level) >= rank(minimum);
    }

    private static int rank(String level) {
        int rank = ORDER.indexOf(normalize(level));
        return rank < 0 ? ORDER.indexOf("INFO") : rank;
    }
}
