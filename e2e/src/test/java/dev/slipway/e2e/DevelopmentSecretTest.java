package dev.slipway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A packaged service, started as a user starts it, refuses a cluster token secret anybody knows: the development value
 * (unless told this is a development machine) and the example Secret's placeholder. With either, anybody could forge
 * any cluster's tokens.
 */
class DevelopmentSecretTest {

    private final Path repository = Path.of(System.getProperty("slipway.e2e.root", "..")).toAbsolutePath().normalize();
    private final Path work = Path.of(System.getProperty("slipway.e2e.work", "target/e2e")).resolve("development-secret");

    @Test
    void theSchedulerStopsAtStartWithTheDevelopmentSecretAndSaysWhatToSet() throws Exception {
        try (ServiceProcess scheduler = ServiceProcess.launch("resource-scheduler-development-secret",
                repository.resolve("services/resource-scheduler/target/quarkus-app"), FreePorts.next(),
                Map.of("kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next(),
                        "slipway.scheduler.cluster-token-secret", ClusterTokens.DEVELOPMENT_SECRET,
                        // over SLIPWAY_ALLOW_DEVELOPMENT_SECRET, should this machine's environment have it
                        "slipway.allow-development-secret", "false"), work)) {
            assertThat(scheduler.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(Files.readString(scheduler.log())).contains("slipway.scheduler.cluster-token-secret")
                    .contains("set SLIPWAY_CLUSTER_TOKEN_SECRET to a secret of your own")
                    .contains("SLIPWAY_ALLOW_DEVELOPMENT_SECRET=true");
        }
    }

    @Test
    void theProvisionerStopsAtStartWithTheExamplesPlaceholder() throws Exception {
        try (ServiceProcess provisioner = ServiceProcess.launch("pod-provisioner-placeholder",
                repository.resolve("services/pod-provisioner/target/quarkus-app"), FreePorts.next(),
                Map.of("kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next(),
                        "slipway.provisioner.cluster-token-secret", "REPLACE-ME-with-a-long-random-secret",
                        "slipway.allow-development-secret", "true"), work)) {
            assertThat(provisioner.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(Files.readString(provisioner.log())).contains("still the example's placeholder");
        }
    }
}
