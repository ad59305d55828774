package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.cluster.ClusterIdGrammar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line itself, without a platform: exit codes and one-line errors. */
class SlipwayCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SlipwayCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(run("launch")).isEqualTo(SlipwayCli.USAGE);
        assertThat(err()).startsWith("error: ").contains("launch").contains("see 'slipway --help'");
    }

    @Test
    void anInvalidClusterIdIsAUsageErrorThatSaysWhatIsAllowed() {
        assertThat(run("clusters", "get", "Not_Valid")).isEqualTo(SlipwayCli.USAGE);
        assertThat(err()).contains("invalid cluster id 'Not_Valid'").contains(ClusterIdGrammar.RULE);
    }

    @Test
    void theVersionIsTheOneTheBuildWrote() {
        assertThat(run("--version")).isEqualTo(SlipwayCli.OK);
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).matches("slipway \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void aMissingArgumentIsAUsageError() {
        assertThat(run("decisions")).isEqualTo(SlipwayCli.USAGE);
        assertThat(err()).contains("Missing required parameter");
    }

    @Test
    void aPlatformThatIsNotUpIsAFailureWithOneClearLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        System.setProperty("SLIPWAY_SCHEDULER_URL", "http://127.0.0.1:" + port);
        try {
            assertThat(run("decisions", "some-cluster")).isEqualTo(SlipwayCli.FAILURE);
        } finally {
            System.clearProperty("SLIPWAY_SCHEDULER_URL");
        }
        assertThat(err().strip()).isEqualTo("error: cannot reach the resource-scheduler at http://127.0.0.1:" + port
                + ": is the platform up? (./slipway up, ./slipway status)");
    }

    @Test
    void helpListsTheCommandsAndTheEnvironment() {
        assertThat(run("--help")).isEqualTo(SlipwayCli.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("up", "down", "demo", "clusters", "decisions", "replay", "jobs",
                "SLIPWAY_STATE_DIR (.slipway)", "SLIPWAY_KAFKA_PORT (9092)");
    }
}
