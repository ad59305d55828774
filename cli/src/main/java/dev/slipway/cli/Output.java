package dev.slipway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --output text|json} and the text tables. */
public final class Output {

    public enum Format { text, json }

    /** Mixed into the commands that list or show something. */
    public static final class Flag {
        @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "text|json",
                description = "text (default) or json, for scripts")
        public Format format = Format.text;

        public boolean json() {
            return format == Format.json;
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private Output() {
    }

    public static void json(PrintStream out, Object value) {
        try {
            out.println(Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new CliException("cannot write JSON: " + e.getMessage());
        }
    }

    /** A table with a header row; columns as wide as their widest cell; the last column is not padded. */
    public static void table(PrintStream out, List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] widths = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i) == null ? 1 : row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i) == null ? "-" : row.get(i);
                line.append(i == row.size() - 1 ? cell : String.format("%-" + widths[i] + "s  ", cell));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** Aligned rows without a header. */
    public static void rows(PrintStream out, List<List<String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<List<String>> all = new ArrayList<>(rows);
        List<String> first = all.remove(0);
        table(out, first, all);
    }

    /** A time of day in local time, from an ISO instant in the JSON; "-" when absent. */
    public static String time(JsonNode instant) {
        if (instant == null || instant.isNull() || instant.isMissingNode()) {
            return "-";
        }
        try {
            return TIME.format(Instant.parse(instant.asText()));
        } catch (RuntimeException e) {
            return instant.asText();
        }
    }

    public static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "-" : node.asText();
    }

    public static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }

    public static String role(String role) {
        return switch (role) {
            case "TASK_MANAGER" -> "TaskManager";
            case "JOB_MANAGER" -> "JobManager";
            default -> role;
        };
    }
}
