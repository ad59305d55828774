package dev.slipway.indexer.rest;

import dev.slipway.rest.problems.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Query parameters parsed here rather than by JAX-RS, which answers a value it cannot convert with
 * 404; here it is 400 naming the parameter.
 */
final class Params {

    private Params() {
    }

    /** The instants a query may name: the epoch to the end of year 9999, so arithmetic on them never overflows. */
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    /** The longest step or duration a query may name. */
    static final Duration LONGEST = Duration.ofDays(3660);

    /** An ISO-8601 instant ("2026-11-30T16:00:00Z") or epoch milliseconds, from 1970 to 9999; null when absent. */
    static Instant instant(String field, String value) {
        if (blank(value)) {
            return null;
        }
        Instant parsed;
        try {
            parsed = value.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ProblemException.invalid(field, "not an ISO-8601 instant (2026-11-30T16:00:00Z) or epoch milliseconds: '" + value + "'");
        }
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw ProblemException.invalid(field, "must be from " + EARLIEST + " to " + LATEST + ": '" + value + "'");
        }
        return parsed;
    }

    /** "10s", "1m", "1h" or an ISO-8601 duration ("PT10S"). */
    static Duration duration(String field, String value) {
        if (blank(value)) {
            return null;
        }
        String text = value.trim();
        try {
            if (text.startsWith("P") || text.startsWith("p")) {
                return positive(field, value, Duration.parse(text));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - (text.endsWith("ms") ? 2 : 1)));
            Duration parsed = switch (text.endsWith("ms") ? "ms" : text.substring(text.length() - 1)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> null;
            };
            if (parsed != null) {
                return positive(field, value, parsed);
            }
        } catch (ArithmeticException tooLong) {
            throw ProblemException.invalid(field, "at most " + LONGEST.toDays() + " days: '" + value + "'");
        } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
            // answered below
        }
        throw ProblemException.invalid(field, "not a duration such as 10s, 1m, 1h or PT10S: '" + value + "'");
    }

    static void range(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.invalid("to", "must be after from");
        }
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    static String orNull(String value) {
        return blank(value) ? null : value.trim();
    }

    private static Duration positive(String field, String value, Duration parsed) {
        if (parsed.isNegative() || parsed.isZero()) {
            throw ProblemException.invalid(field, "must be positive: '" + value + "'");
        }
        if (parsed.compareTo(LONGEST) > 0) {
            throw ProblemException.invalid(field, "at most " + LONGEST.toDays() + " days: '" + value + "'");
        }
        return parsed;
    }
}
