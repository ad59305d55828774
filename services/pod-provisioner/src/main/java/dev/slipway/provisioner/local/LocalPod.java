package dev.slipway.provisioner.local;

import dev.slipway.contracts.resources.PodRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What the local backend records of one pod in its directory ({@code pod.properties}), so a restarted
 * provisioner finds its processes again.
 */
record LocalPod(String clusterId, String podName, PodRole role, String requestId, long pid, int probePort, Path directory) {

    static final String FILE = "pod.properties";
    static final String DELETED_MARKER = "deleted";

    String key() {
        return clusterId + "/" + podName;
    }

    String address(String host) {
        return host + ":" + probePort;
    }

    Path logFile() {
        return logFile(directory, podName);
    }

    Path outFile() {
        return outFile(directory, podName);
    }

    /** Flink's log ({@code log.file}): what the node log agent reads. */
    static Path logFile(Path directory, String podName) {
        return directory.resolve(podName + ".log");
    }

    /** The process's stdout and stderr. */
    static Path outFile(Path directory, String podName) {
        return directory.resolve(podName + ".out");
    }

    void write() {
        Properties properties = new Properties();
        properties.setProperty("cluster", clusterId);
        properties.setProperty("pod", podName);
        properties.setProperty("role", role.name());
        if (requestId != null) {
            properties.setProperty("request", requestId);
        }
        properties.setProperty("pid", Long.toString(pid));
        properties.setProperty("probePort", Integer.toString(probePort));
        try (OutputStream out = Files.newOutputStream(directory.resolve(FILE))) {
            properties.store(out, "written by Slipway's local pod backend");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LocalPod read(Path directory) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(directory.resolve(FILE))) {
            properties.load(in);
        }
        return new LocalPod(properties.getProperty("cluster"), properties.getProperty("pod"),
                PodRole.valueOf(properties.getProperty("role")), properties.getProperty("request"),
                Long.parseLong(properties.getProperty("pid")), Integer.parseInt(properties.getProperty("probePort")), directory);
    }
}
