package dev.slipway.flink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * A JDK HTTP server on a free port that plays the scheduler's side of one recorded interaction: it answers every request
 * with the recorded response and keeps what it received.
 */
final class RecordingScheduler implements AutoCloseable {

    /** A request as it arrived. */
    record Received(String method, String path, String protocol, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                    .map(header -> header.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile JsonNode response;

    RecordingScheduler() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    void answerWith(JsonNode recordedResponse) {
        this.response = recordedResponse;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getProtocol(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            int status = response.path("status").asInt();
            response.path("headers").fields().forEachRemaining(header -> exchange.getResponseHeaders().set(header.getKey(),
                    header.getValue().asText()));
            if (response.has("events")) {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(status, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (JsonNode event : response.get("events")) {
                        out.write(("data:" + event + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            } else if (response.has("body")) {
                byte[] json = response.get("body").toString().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, json.length);
                exchange.getResponseBody().write(json);
            } else {
                exchange.sendResponseHeaders(status, -1);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
