package dev.slipway.flink.examples;

import java.util.HashMap;
import java.util.Map;

/**
 * The jobs' {@code --name value} arguments, parsed by hand: Flink's {@code ParameterTool} lives in
 * {@code org.apache.flink.util} in 2.x but in {@code org.apache.flink.api.java.utils} (flink-java) in
 * 1.20, so using it would tie the jar to one Flink line. Without it the same jar runs on both.
 */
final class JobArguments {

    private final Map<String, String> values;

    private JobArguments(Map<String, String> values) {
        this.values = values;
    }

    /** {@code --n 1000 --rate 2.5}; a name without a value (the last one, or one followed by another name) is {@code true}. */
    static JobArguments parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("-") || name.replaceFirst("^--?", "").isEmpty()) {
                throw new IllegalArgumentException("expected --name before '" + name + "' in the job's arguments");
            }
            boolean hasValue = i + 1 < args.length && !isName(args[i + 1]);
            values.put(name.replaceFirst("^--?", ""), hasValue ? args[++i] : "true");
        }
        return new JobArguments(values);
    }

    /** A name, not a negative number given as a value. */
    private static boolean isName(String arg) {
        return arg.startsWith("-") && !arg.matches("-\\d.*");
    }

    long getLong(String name, long defaultValue) {
        String value = values.get(name);
        return value == null ? defaultValue : Long.parseLong(value);
    }

    String getString(String name, String defaultValue) {
        String value = values.get(name);
        return value == null ? defaultValue : value;
    }

    double getDouble(String name, double defaultValue) {
        String value = values.get(name);
        return value == null ? defaultValue : Double.parseDouble(value);
    }
}
