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
import java.util.List;

/** A local backend on the Flink classpaths of this checkout, and a plain GET for Flink's REST API. */
final class LocalBackends {

    private LocalBackends() {
    }

    static LocalProcessBackend newBackend(Path root) {
        return newBackend(root, null);
    }

    /** With class-data archives kept in {@code classDataArchives} (null for none). */
    static LocalProcessBackend newBackend(Path root, Path classDataArchives) {
        return new LocalProcessBackend(new LocalBackendSettings(root, distributions(), LocalBackendSettings.currentJava(), "127.0.0.1",
                "http://127.0.0.1:1", new ClusterTokens("test-secret-of-enough-length")::issue, Duration.ofSeconds(10), null, null, null,
                classDataArchives, List.of("-XX:TieredStopAtLevel=1")), Clock.systemUTC());
    }

    static FlinkDistributions distributions() {
        return new FlinkDistributions(Path.of(System.getProperty("slipway.test.flink-distributions", "../../flink")));
    }

    static String get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
