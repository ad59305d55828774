package dev.slipway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A running service's OpenAPI document ({@code /q/openapi}), which the generated route and input checks read. */
public final class OpenApiDocument {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OpenApiDocument() {
    }

    public static JsonNode of(String baseUrl) throws IOException, InterruptedException {
        String base = baseUrl.replaceAll("/$", "");
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException(base + "/q/openapi answered " + answer.statusCode());
        }
        return JSON.readTree(answer.body());
    }
}
