package dev.slipway.flink;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.type.TypeReference;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The resource-scheduler's REST API over HTTP, authenticated with the cluster's token. Only the JDK's HTTP client and
 * Flink's own shaded Jackson: nothing to clash with Flink's classpath. What it sends and reads is written down in
 * {@code contracts/src/test/resources/driver-contract/}, which the scheduler's build replays.
 */
public class PlatformClient implements SchedulerApi {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final String clusterUrl;
    private final ClusterCredential credential;
    private volatile boolean closed;

    public PlatformClient(String schedulerUrl, String clusterId, String token) {
        this(schedulerUrl, clusterId, ClusterCredential.fixed(token));
    }

    public PlatformClient(String schedulerUrl, String clusterId, ClusterCredential credential) {
        this(newHttpClient(), schedulerUrl, clusterId, credential);
    }

    /** One {@code http} may serve many clients: the fleet load driver runs thousands of resource managers in one JVM. */
    public PlatformClient(HttpClient http, String schedulerUrl, String clusterId, ClusterCredential credential) {
        this.http = http;
        this.clusterUrl = schedulerUrl.replaceAll("/+$", "") + "/api/v1/clusters/" + clusterId;
        this.credential = credential;
    }

    /**
     * An HTTP client as every resource manager uses it: HTTP/1.1, so the pod stream holds a connection of its own and a call
     * never queues behind it. The JDK's default, HTTP/2 upgraded from plain HTTP (h2c), puts every call and stream of a client
     * on one connection, and one error on it (a scheduler restarting) fails them all at once; the fleet driver, thousands of
     * resource managers on one client, spent the schedulers' event loops failing and re-opening a thousand streams at a time.
     */
    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** Answers when the platform accepted the request (202). */
    @Override
    public CompletableFuture<Void> requestTaskManagers(ResourceRequest request) {
        return post("/resource-requests", request);
    }

    @Override
    public CompletableFuture<Void> release(Release release) {
        return post("/releases", release);
    }

    @Override
    public CompletableFuture<List<PlatformPod>> pods() {
        return http.sendAsync(request("/pods").GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    requireSuccess(response, response.body());
                    try {
                        return JSON.readValue(response.body(), new TypeReference<List<PlatformPod>>() { });
                    } catch (IOException e) {
                        throw new PlatformException("unreadable pod list from the platform: " + e.getMessage(), false);
                    }
                });
    }

    /**
     * Server-sent events, one pod as JSON in each event's {@code data:} line. Lines are handed over as they arrive, without a
     * thread waiting on the stream, so one JVM can follow thousands of clusters (the fleet load driver does).
     */
    @Override
    public CompletableFuture<Void> followPods(Consumer<PlatformPod> onPod) {
        HttpRequest request = request("/pods/stream").header("Accept", "text/event-stream").GET().build();
        PodLines lines = new PodLines(onPod);
        http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(lines)).whenComplete((response, failure) -> {
            if (failure != null) {
                lines.ended.completeExceptionally(failure);
            } else if (response.statusCode() >= 300) {
                lines.cancel();
                try {
                    requireSuccess(response, "");
                } catch (PlatformException refused) {
                    lines.ended.completeExceptionally(refused);
                }
            }
        });
        return lines.ended;
    }

    /** The stream's lines as they come: each {@code data:} line is a pod; the future ends with the stream. */
    private final class PodLines implements Flow.Subscriber<String> {

        final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final Consumer<PlatformPod> onPod;
        private volatile Flow.Subscription subscription;

        PodLines(Consumer<PlatformPod> onPod) {
            this.onPod = onPod;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (closed) {
                cancel();
                ended.complete(null);
                return;
            }
            if (!line.startsWith("data:")) {
                return;
            }
            String data = line.substring("data:".length()).trim();
            if (data.isEmpty()) {
                return;
            }
            try {
                onPod.accept(parsePod(data));
            } catch (RuntimeException e) {
                cancel();
                ended.completeExceptionally(e);
            }
        }

        @Override
        public void onError(Throwable failure) {
            ended.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            ended.complete(null);
        }

        void cancel() {
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
        }
    }

    private static PlatformPod parsePod(String json) {
        try {
            return JSON.readValue(json, PlatformPod.class);
        } catch (IOException e) {
            throw new PlatformException("unreadable pod change from the platform: " + e.getMessage(), false);
        }
    }

    private CompletableFuture<Void> post(String path, Record body) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenAccept(response -> requireSuccess(response, response.body()));
    }

    private HttpRequest.Builder request(String path) {
        // Each call starts its own trace; the platform's services continue it to the pod's creation.
        return HttpRequest.newBuilder(URI.create(clusterUrl + path)).timeout(TIMEOUT).header("Authorization", "Bearer " + credential.token())
                .header(Traceparents.HEADER, Traceparents.newRoot());
    }

    private void requireSuccess(HttpResponse<?> response, String body) {
        int status = response.statusCode();
        if (status >= 300) {
            // 400 will not heal by retrying; 5xx and 429 may, and 401/403 may when the platform renews a revoked token.
            boolean renewed = (status == 401 || status == 403) && credential.renewable();
            boolean retryable = status >= 500 || status == 429 || renewed;
            throw new PlatformException("the platform answered " + status + ": " + body, retryable,
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
        }
    }

    /**
     * A {@code Retry-After} of whole seconds, as the platform's services send it; anything else (an HTTP date from a proxy, a
     * malformed value) is no request to wait, and the back-off alone applies.
     */
    static Duration retryAfter(String header) {
        if (header == null || !header.trim().matches("\\d{1,6}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(header.trim()));
    }

    /** Stops following pods at the next line; requests under way finish on their own. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean closed() {
        return closed;
    }
}
