package dev.slipway.provisioner.local;

import dev.slipway.contracts.auth.ClusterTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** A local backend on the Flink classpaths of this checkout, and a plain GET for Flink's REST API. */
final class LocalBackends {

    private LocalBackends() {
    }

    static LocalProcessBackend newBackend(Path root) {
        Path distributions = Path.of(System.getProperty("slipway.test.flink-distributions", "../../flink"));
        return new LocalProcessBackend(new LocalBackendSettings(root, new FlinkDistributions(distributions),
                LocalBackendSettings.currentJava(), "127.0.0.1", "http://127.0.0.1:1", new ClusterTokens("test-secret-of-enough-length")::issue,
                Duration.ofSeconds(10), null), Clock.systemUTC());
    }

    static String get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
