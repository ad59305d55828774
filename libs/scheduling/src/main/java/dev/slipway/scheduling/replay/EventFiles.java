package dev.slipway.scheduling.replay;

import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.json.EventCodec;
import dev.slipway.contracts.resources.ResourceEvent;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Resource events as JSON lines, one event per line, the format replays read and traces are kept in. */
public final class EventFiles {

    private static final EventCodec CODEC = new EventCodec();

    private EventFiles() {
    }

    public static void write(Path file, Iterable<ResourceEvent> events) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (ResourceEvent event : events) {
                out.write(CODEC.encodeToString(event));
                out.newLine();
            }
        }
    }

    /** Reads every event; a line that is not a resource event stops the read with its line number and reason. */
    public static List<ResourceEvent> read(Path file) throws IOException {
        List<ResourceEvent> events = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                DecodeResult<ResourceEvent> result = CODEC.decode(line.getBytes(StandardCharsets.UTF_8), null, ResourceEvent.class);
                if (result instanceof DecodeResult.Decoded<ResourceEvent> decoded) {
                    events.add(decoded.event());
                } else {
                    DecodeResult.Rejected<ResourceEvent> rejected = (DecodeResult.Rejected<ResourceEvent>) result;
                    throw new IOException(file + " line " + number + ": " + rejected.describe());
                }
            }
        }
        return events;
    }
}
