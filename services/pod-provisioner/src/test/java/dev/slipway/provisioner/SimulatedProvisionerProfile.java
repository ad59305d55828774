package dev.slipway.provisioner;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** The SIMULATED backend on a fresh root, two small nodes, and pods ready after a fixed 200 ms. */
public class SimulatedProvisionerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            return Map.of("slipway.provisioner.backend", "SIMULATED",
                    "slipway.provisioner.simulated.root", Files.createTempDirectory("slipway-simulated-test").toString(),
                    "slipway.provisioner.simulated.nodes", "2",
                    "slipway.provisioner.simulated.pods-per-node", "4",
                    "slipway.provisioner.simulated.ready-delay-median", "200ms",
                    "slipway.provisioner.simulated.ready-delay-p99", "200ms");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
