package dev.slipway.provisioner;

import dev.slipway.testkit.SharedInfrastructure;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The LOCAL backend with a fresh pod root and the Flink classpaths of this checkout; JobManagers run with high availability
 * through the test JVM's ZooKeeper, as they do by default.
 */
public class LocalProvisionerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Path root = Files.createTempDirectory("slipway-provisioner-test");
            return Map.of("slipway.provisioner.local.root", root.resolve("pods").toString(),
                    "slipway.provisioner.local.distributions", System.getProperty("slipway.test.flink-distributions", "../../flink"),
                    "slipway.provisioner.high-availability.zookeeper-quorum", SharedInfrastructure.zooKeeper().connectString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
