package dev.slipway.rest.problems;

/**
 * Query parameters read by the service rather than by JAX-RS, which answers a value it cannot convert with a bare 404 (a
 * number) or takes anything but "true" as false (a flag); here each is a 400 naming the parameter. Call them after the
 * caller's token is checked.
 */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** A whole number from {@code min} to {@code max}, or {@code defaultValue} when absent. */
    public static int wholeNumber(String field, String value, int defaultValue, int min, int max) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= min && parsed <= max) {
                return (int) parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.invalid(field, "must be a whole number from " + min + " to " + max + ": '" + value + "'");
    }

    /** true or false; absent is false. */
    public static boolean flag(String field, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.invalid(field, "must be true or false");
        };
    }
}
