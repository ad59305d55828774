package dev.slipway.submission.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.auth.ClusterTokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * LOCAL backend: JobManagers are processes of the pod-provisioner on free ports, so it is asked
 * ({@code GET /api/v1/clusters/{id}/jobmanager} answers {@code {"host","rpcPort","restPort"}}).
 */
public final class LocalJobManagerLocator implements JobManagerLocator {

    private final HttpClient http;
    private final String provisionerUrl;
    private final Duration timeout;
    private final ClusterTokens tokens;
    private final ObjectMapper json = new ObjectMapper();

    /** {@code tokens}: the platform's cluster tokens; the provisioner answers for a cluster only with its token. */
    public LocalJobManagerLocator(HttpClient http, String provisionerUrl, Duration timeout, ClusterTokens tokens) {
        this.http = http;
        this.tokens = tokens;
        this.provisionerUrl = provisionerUrl.replaceAll("/+$", "");
        this.timeout = timeout;
    }

    @Override
    public String restUrl(String clusterId, long tokenGeneration) throws IOException {
        URI uri = URI.create(provisionerUrl + "/api/v1/clusters/" + URLEncoder.encode(clusterId, StandardCharsets.UTF_8)
                + "/jobmanager");
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", "Bearer " + tokens.issue(clusterId, tokenGeneration))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() == 404) {
            throw new IOException("the pod-provisioner at " + provisionerUrl + " runs no JobManager of cluster " + clusterId);
        }
        if (response.statusCode() != 200) {
            throw new IOException("the pod-provisioner answered " + response.statusCode() + " for the JobManager of " + clusterId);
        }
        JsonNode address = json.readTree(response.body());
        return "http://" + address.path("host").asText() + ":" + address.path("restPort").asInt();
    }
}
