package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The few HTTP calls the CLI makes, with failures turned into one readable line. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();

    private Http() {
    }

    /** GET as JSON; {@code what} names the service in errors ("the resource-scheduler"). */
    /** A query value or path segment, URL-encoded (UTF-8). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    public static JsonNode get(String what, String url, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET()
                .header("Accept", "application/json");
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(what, url, request.build());
    }

    public static JsonNode post(String what, String url, String json) {
        return post(what, url, json, null);
    }

    /** POST of a JSON body ({@code null}: no body), with a bearer token where one is given. */
    public static JsonNode post(String what, String url, String json, String bearer) {
        return send(what, url, authorized(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)), bearer).build());
    }

    public static JsonNode delete(String what, String url, String bearer) {
        return send(what, url, authorized(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").DELETE(), bearer).build());
    }

    /** multipart/form-data: text fields (a list value repeats the field), then one file part. */
    /** A file in a multipart upload: its part's name and where it is. */
    public record FilePart(String name, Path file) {
    }

    public static JsonNode multipart(String what, String url, Map<String, List<String>> fields, List<FilePart> files, String bearer) {
        String boundary = "slipway-" + UUID.randomUUID();
        List<byte[]> parts = new ArrayList<>();
        fields.forEach((name, values) -> values.forEach(value -> parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8))));
        for (FilePart file : files) {
            parts.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.name() + "\"; filename=\""
                    + file.file().getFileName() + "\"\r\nContent-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            try {
                parts.add(Files.readAllBytes(file.file()));
            } catch (IOException e) {
                throw new CliException("cannot read " + file.file() + ": " + e.getMessage());
            }
            parts.add("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        parts.add(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(what, url, authorized(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(300))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)), bearer).build());
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String bearer) {
        return bearer == null ? request : request.header("Authorization", "Bearer " + bearer);
    }

    public static JsonNode patch(String what, String url) {
        return send(what, url, HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    }

    /** The status of a GET, or -1 when nothing answers; never throws. */
    public static int status(String url, Duration timeout) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static JsonNode send(String what, String url, HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new NotReachable(what, url);
        } catch (HttpTimeoutException e) {
            throw new CliException(what + " did not answer in time (" + request.method() + " " + url + ")");
        } catch (IOException e) {
            throw new CliException("calling " + what + " failed (" + request.method() + " " + url + "): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw new ApiError(response.statusCode(), what + " answered " + response.statusCode() + " to " + request.method() + " "
                    + URI.create(url).getPath() + ": " + problem(body, response.body()));
        }
        return body;
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException notJson) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    /** The readable part of an error body: problem+json detail and fields, or Flink's {@code errors}. */
    private static String problem(JsonNode body, String raw) {
        if (body.hasNonNull("detail") || body.hasNonNull("title")) {
            StringBuilder text = new StringBuilder(body.path("detail").asText(body.path("title").asText()));
            for (JsonNode error : body.path("errors")) {
                if (error.isObject()) {
                    text.append("; ").append(error.path("field").asText()).append(": ").append(error.path("message").asText());
                }
            }
            return text.toString();
        }
        if (body.path("errors").isArray() && !body.path("errors").isEmpty()) {
            String first = body.path("errors").get(0).asText();
            return first.lines().findFirst().orElse(first);
        }
        String line = raw == null ? "" : raw.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** An HTTP error status with the service's explanation. */
    public static final class ApiError extends CliException {

        public final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** Nothing listens where the service should be. */
    public static final class NotReachable extends CliException {

        NotReachable(String what, String url) {
            super("cannot reach " + what + " at " + URI.create(url).getScheme() + "://" + URI.create(url).getAuthority()
                    + ": is the platform up? (./slipway up, ./slipway status)");
        }
    }
}
