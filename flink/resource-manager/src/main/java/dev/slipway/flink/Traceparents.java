package dev.slipway.flink;

import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C {@code traceparent} values for the driver's REST calls, so each trace starts at Flink's request.
 * A formatter instead of the OpenTelemetry SDK: nothing is added to Flink's classpath. Random ids are
 * fine here; the platform's decisions never depend on them.
 */
public final class Traceparents {

    public static final String HEADER = "traceparent";

    private Traceparents() {
    }

    /** A new root: version 00, random 16-byte trace id and 8-byte span id, sampled. */
    public static String newRoot() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "00-" + hex(nonZero(random), 16) + hex(nonZero(random), 16) + "-" + hex(nonZero(random), 16) + "-01";
    }

    /** An all-zero id is invalid in W3C trace context. */
    private static long nonZero(ThreadLocalRandom random) {
        long value;
        do {
            value = random.nextLong();
        } while (value == 0);
        return value;
    }

    private static String hex(long value, int digits) {
        String text = Long.toHexString(value);
        return "0".repeat(digits - text.length()) + text;
    }
}
