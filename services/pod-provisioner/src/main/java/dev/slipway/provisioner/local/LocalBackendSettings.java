package dev.slipway.provisioner.local;

import dev.slipway.provisioning.HighAvailability;
import dev.slipway.provisioning.MetricsShipping;
import dev.slipway.provisioning.ObjectStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * @param root pods live in {@code <root>/<cluster>/<pod>/} (configuration, log, temporary files)
 * @param distributions where each Flink version's classpath is
 * @param javaCommand the {@code java} that runs Flink processes
 * @param host the address Flink processes bind to and announce
 * @param schedulerUrl the resource-scheduler an ELASTIC JobManager's resource manager calls
 * @param clusterToken a cluster's current resource-manager token, for its JobManager (see {@code ClusterTokens#issue})
 * @param stopGrace how long a stopped process may take before it is killed
 * @param metrics where each process's metric reporter ships; null for no reporter
 * @param highAvailability how JobManagers elect their leader and keep their jobs; null for none
 * @param objectStorage the S3-compatible store of s3:// state paths, with its credentials
 * @param classDataArchives where the class-data-sharing archive of each Flink classpath is kept; null for none
 *     (see {@link ClassDataArchives})
 * @param jvmOptions JVM options added to every Flink process, after the platform's own
 */
public record LocalBackendSettings(Path root, FlinkDistributions distributions, String javaCommand, String host, String schedulerUrl,
        Function<String, String> clusterToken, Duration stopGrace, MetricsShipping metrics, HighAvailability highAvailability,
        ObjectStorage objectStorage, Path classDataArchives, List<String> jvmOptions) {

    public LocalBackendSettings {
        objectStorage = objectStorage == null ? ObjectStorage.NONE : objectStorage;
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
    }

    /** Settings without high availability, object storage, class-data archives or JVM options. */
    public LocalBackendSettings(Path root, FlinkDistributions distributions, String javaCommand, String host, String schedulerUrl,
            Function<String, String> clusterToken, Duration stopGrace, MetricsShipping metrics) {
        this(root, distributions, javaCommand, host, schedulerUrl, clusterToken, stopGrace, metrics, null, null, null, null);
    }

    /** The {@code java} of this JVM. */
    public static String currentJava() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
