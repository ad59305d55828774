package dev.slipway.indexer;

import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.messaging.EventRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Test helpers: events written as the platform writes them, and server-sent events read line by line. */
final class TestEvents {

    private TestEvents() {
    }

    static String newClusterId() {
        return "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static LogRecord log(String cluster, Instant at, String level, String message) {
        return new LogRecord(UUID.randomUUID().toString(), cluster, at, cluster + "-tm-0", PodRole.TASK_MANAGER, "job-1", level,
                "org.apache.flink.runtime.taskmanager.Task", "main", message, "/logs/" + cluster + "-tm-0.log", 0);
    }

    static void write(KafkaCompanion companion, SlipwayEvent... events) {
        for (SlipwayEvent event : events) {
            write(companion, EventRecords.toRecord(event, "/test", null));
        }
    }

    static void write(KafkaCompanion companion, ProducerRecord<String, byte[]> record) {
        companion.produce(String.class, byte[].class).fromRecords(record).awaitCompletion();
    }

    /** Lines of a server-sent event stream as they arrive, until {@link Stream#close()}. */
    static final class Stream implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> subscription;

        Stream(URI uri) {
            HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build();
            subscription = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                    .thenAccept(response -> response.body().forEach(lines::add));
        }

        List<String> data() {
            return lines.stream().filter(line -> line.startsWith("data:")).toList();
        }

        @Override
        public void close() {
            subscription.cancel(true);
        }
    }
}
