package dev.slipway.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which failures the driver may retry: the answers that can heal, and a platform not reached at all. */
class PlatformClientTest {

    @ParameterizedTest(name = "{0} retryable: {1}")
    @CsvSource({"500, true", "502, true", "503, true", "429, true", "400, false", "401, false", "403, false", "404, false",
            "409, false"})
    void anErrorStatusFailsTheCallRetryableOnlyWhenItCanHeal(int status, boolean retryable) throws Exception {
        try (RecordingScheduler scheduler = new RecordingScheduler()) {
            scheduler.answerWith(DriverContract.parse("{\"status\":" + status + "}"));

            CompletableFuture<Void> call = new PlatformClient(scheduler.url(), "c1", "token").release(new Release("c1-tm-0", "idle"));

            assertThat(call).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOfSatisfying(PlatformException.class, failure -> assertThat(failure.retryable()).isEqualTo(retryable));
        }
    }

    @Test
    void itSpeaksHttp11WithoutAskingForAnUpgrade() throws Exception {
        try (RecordingScheduler scheduler = new RecordingScheduler()) {
            scheduler.answerWith(DriverContract.parse("{\"status\":202}"));

            assertThat(new PlatformClient(scheduler.url(), "c1", "token").release(new Release("c1-tm-0", "idle")))
                    .succeedsWithin(10, TimeUnit.SECONDS);

            assertThat(scheduler.received()).singleElement().satisfies(received -> {
                assertThat(received.protocol()).isEqualTo("HTTP/1.1");
                assertThat(received.header("Upgrade")).as("no h2c upgrade: one connection per stream, not one for all").isNull();
            });
        }
    }

    @Test
    void aRetryAfterInSecondsTravelsWithTheFailure() throws Exception {
        try (RecordingScheduler scheduler = new RecordingScheduler()) {
            scheduler.answerWith(DriverContract.parse("{\"status\":503,\"headers\":{\"Retry-After\":\"7\"}}"));

            assertThat(new PlatformClient(scheduler.url(), "c1", "token").requestTaskManagers(new ResourceRequest("r-1", 1, null)))
                    .failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOfSatisfying(PlatformException.class, failure -> {
                        assertThat(failure.retryable()).isTrue();
                        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
                    });
        }
    }

    @ParameterizedTest(name = "Retry-After \"{0}\" is no wait")
    @CsvSource(delimiter = '|', value = {"Wed, 21 Oct 2026 07:28:00 GMT", "-1", "1.5", "soon", "''"})
    void aRetryAfterThatIsNotWholeSecondsLeavesTheBackOffAlone(String header) {
        assertThat(PlatformClient.retryAfter(header)).isNull();
    }

    @Test
    void aRefusedTokenFromAFileIsRetriedWithTheFilesNewToken(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("cluster-token"), "slw1.old\n");
        try (RecordingScheduler scheduler = new RecordingScheduler()) {
            scheduler.answerWith(DriverContract.parse("{\"status\":403}"));
            PlatformClient client = new PlatformClient(scheduler.url(), "c1", ClusterCredential.file(file));

            assertThat(client.release(new Release("c1-tm-0", "idle"))).failsWithin(10, TimeUnit.SECONDS)
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOfSatisfying(PlatformException.class, failure -> assertThat(failure.retryable()).isTrue());

            // The platform renews the token (the cluster's tokens were revoked): the next attempt carries the new one.
            Files.writeString(file, "slw2.2.new\n");
            scheduler.answerWith(DriverContract.parse("{\"status\":202}"));
            assertThat(client.release(new Release("c1-tm-0", "idle"))).succeedsWithin(10, TimeUnit.SECONDS);
            assertThat(scheduler.received()).extracting(received -> received.header("Authorization"))
                    .containsExactly("Bearer slw1.old", "Bearer slw2.2.new");
        }
    }

    @Test
    void aPlatformNotReachedIsNotARefusal() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        CompletableFuture<Void> call = new PlatformClient("http://127.0.0.1:" + closedPort, "c1", "token")
                .release(new Release("c1-tm-0", "idle"));

        assertThat(call).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class).havingCause()
                .isNotInstanceOf(PlatformException.class);
    }
}
