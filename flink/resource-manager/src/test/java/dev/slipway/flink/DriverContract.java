package dev.slipway.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The interactions the driver relies on, as written down in {@code contracts/src/test/resources/driver-contract/} (its
 * README says how they are matched). Read from the source tree: the scheduler's build reads the same files.
 */
final class DriverContract {

    private static final Path DIRECTORY = Path.of("contracts", "src", "test", "resources", "driver-contract");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DriverContract() {
    }

    /** One interaction with its placeholders ({@code {clusterId}}...) replaced by this side's values. */
    record Interaction(String name, String providerState, JsonNode request, JsonNode response) {

        String method() {
            return request.path("method").asText();
        }

        String path() {
            return request.path("path").asText();
        }
    }

    static List<String> names() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json"))
                    .map(name -> name.substring(0, name.length() - ".json".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Interaction load(String name, Map<String, String> placeholders) {
        try {
            String text = Files.readString(directory().resolve(name + ".json"));
            for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
                text = text.replace("{" + placeholder.getKey() + "}", placeholder.getValue());
            }
            JsonNode interaction = JSON.readTree(text);
            return new Interaction(name, interaction.path("providerState").asText(), interaction.get("request"),
                    interaction.get("response"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    /** The repository's root holds {@code contracts/}; tests run in the module's directory, two levels below. */
    private static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(DIRECTORY))) {
                return dir.resolve(DIRECTORY);
            }
        }
        throw new IllegalStateException("no " + DIRECTORY + " above " + Path.of("").toAbsolutePath());
    }
}
