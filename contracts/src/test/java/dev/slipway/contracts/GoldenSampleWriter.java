package dev.slipway.contracts;

import dev.slipway.contracts.json.EventJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the golden sample of an event type that has none yet. It never overwrites one: a golden
 * sample is a payload some producer once wrote, and must keep parsing as long as v1 lives.
 */
public final class GoldenSampleWriter {

    private GoldenSampleWriter() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "contracts/src/test/resources/golden/v1");
        Files.createDirectories(root);
        for (SlipwayEvent sample : SampleEvents.all()) {
            Path file = root.resolve(EventTypes.name(sample.getClass()) + ".json");
            if (Files.exists(file)) {
                continue;
            }
            Files.writeString(file, EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(sample) + "\n");
            System.out.println("wrote " + file);
        }
    }
}
