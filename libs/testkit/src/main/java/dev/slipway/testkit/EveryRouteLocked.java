package dev.slipway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every route a service publishes in its OpenAPI document, called without a token, must answer 401: a new endpoint without
 * a check fails the build of its service. The routes come from {@code /q/openapi}, so none can be forgotten; path parameters
 * get a valid-looking value, bodies an empty JSON object (or an empty multipart form where that is all the route takes),
 * since the caller is checked before any input. {@code open} names the routes meant for anybody ({@code "GET /api/v1/..."}).
 */
public final class EveryRouteLocked {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private EveryRouteLocked() {
    }

    /**
     * Fails unless the service publishes routes and every one but {@code open} answers 401 to a caller without a token; the
     * failure lists the routes that did not, with what they answered.
     */
    public static void check(URL service, String... open) throws IOException, InterruptedException {
        String base = service.toString().replaceAll("/$", "");
        if (routes(base).isEmpty()) {
            throw new AssertionError(base + "/q/openapi lists no routes");
        }
        List<String> unlocked = unlocked(base, Set.of(open));
        if (!unlocked.isEmpty()) {
            throw new AssertionError("routes that answer a caller without a token: " + unlocked);
        }
    }

    /** The routes of the service at {@code baseUrl}, as {@code "METHOD /path"}. */
    public static List<String> routes(String baseUrl) throws IOException, InterruptedException {
        List<String> routes = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : fields(OpenApiDocument.of(baseUrl).path("paths"))) {
            for (Map.Entry<String, JsonNode> operation : fields(path.getValue())) {
                if (METHODS.contains(operation.getKey())) {
                    routes.add(operation.getKey().toUpperCase() + " " + path.getKey());
                }
            }
        }
        return routes;
    }

    /**
     * Calls every route but the open ones without a token; answers the routes that did not answer 401 with what they did
     * answer (empty when every door is locked).
     */
    public static List<String> unlocked(String baseUrl, Set<String> open) throws IOException, InterruptedException {
        JsonNode paths = OpenApiDocument.of(baseUrl).path("paths");
        List<String> unlocked = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : fields(paths)) {
            for (Map.Entry<String, JsonNode> operation : fields(path.getValue())) {
                String method = operation.getKey().toUpperCase();
                String route = method + " " + path.getKey();
                if (!METHODS.contains(operation.getKey()) || open.contains(route)) {
                    continue;
                }
                int status = call(baseUrl, method, path.getKey(), operation.getValue());
                if (status != 401) {
                    unlocked.add(route + " answered " + status);
                }
            }
        }
        return unlocked;
    }

    private static int call(String baseUrl, String method, String template, JsonNode operation) throws IOException, InterruptedException {
        String path = template.replaceAll("\\{[^}]+}", "x1");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10));
        JsonNode content = operation.path("requestBody").path("content");
        if (method.equals("GET") || method.equals("DELETE") || content.isMissingNode()) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else if (content.has("application/json") || !content.has("multipart/form-data")) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
        } else {
            String boundary = "slipway-route-check";
            request.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .method(method, HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n"));
        }
        if (operation.path("responses").has("200") && isEventStream(operation)) {
            request.header("Accept", "text/event-stream");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static boolean isEventStream(JsonNode operation) {
        return operation.path("responses").path("200").path("content").has("text/event-stream");
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return () -> {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            return fields;
        };
    }
}
