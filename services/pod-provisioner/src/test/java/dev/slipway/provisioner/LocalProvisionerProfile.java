package dev.slipway.provisioner;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The LOCAL backend with a fresh pod root and the Flink classpaths of this checkout. */
public class LocalProvisionerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path root = Files.createTempDirectory("slipway-provisioner-test");
            return Map.of("slipway.provisioner.local.root", root.toString(),
                    "slipway.provisioner.local.distributions", System.getProperty("slipway.test.flink-distributions", "../../flink"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
