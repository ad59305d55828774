package dev.slipway.provisioner.simulated;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Simulated pods on disk, one JSON file each: {@code <root>/<cluster>/<pod>.json}. A file is written whole to a temporary
 * file and moved over the old one, so a reader (another instance, or this one after a kill -9) sees the old pod or the new,
 * never half of one. Not synced to the device: the pods must outlive the provisioner's process, not the machine (as the
 * local backend's records).
 */
final class SimulatedPodStore {

    private static final Logger LOG = Logger.getLogger(SimulatedPodStore.class);
    private static final String SUFFIX = ".json";
    /** A pod name that is a safe file name: a DNS subdomain as Kubernetes names pods (no '/', never '.' or '..'). */
    private static final Pattern POD_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private final Path root;
    /** Names this store's temporary files. */
    private final String writer = UUID.randomUUID().toString();

    SimulatedPodStore(Path root) {
        this.root = root;
    }

    static boolean validPodName(String podName) {
        return podName != null && POD_NAME.matcher(podName).matches();
    }

    void write(SimulatedPod pod) {
        Path file = file(pod.clusterId(), pod.podName());
        Path cluster = file.getParent();
        // A name of this store's own: two instances sharing the root may write the same pod at once, while one store
        // writes one file at a time (under the backend's lock). Files.createTempFile would do too, at a third the speed.
        Path written = cluster.resolve(pod.podName() + SUFFIX + "." + writer + ".tmp");
        try {
            byte[] json = JSON.writeValueAsBytes(pod);
            try {
                Files.write(written, json);
            } catch (NoSuchFileException firstOfItsCluster) {
                // Only then: Files.createDirectories costs a failed mkdir and its exception on every call.
                Files.createDirectories(cluster);
                Files.write(written, json);
            }
            // In the same directory, so the file system can always move atomically.
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(written);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new UncheckedIOException("could not write the simulated pod " + file + ": " + e.getMessage(), e);
        }
    }

    /** The pod as last written, tombstones included; empty when there is none or it cannot be read (logged). */
    Optional<SimulatedPod> read(String clusterId, String podName) {
        return read(file(clusterId, podName));
    }

    /** Every pod on disk, tombstones left out, cluster by cluster in name order. */
    List<SimulatedPod> live() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<SimulatedPod> pods = new ArrayList<>();
        try (Stream<Path> clusters = Files.list(root)) {
            for (Path cluster : clusters.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(cluster)) {
                    files.filter(file -> file.getFileName().toString().endsWith(SUFFIX)).sorted()
                            .forEach(file -> read(file).filter(pod -> !pod.deleted()).ifPresent(pods::add));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the simulated pods under " + root + ": " + e.getMessage(), e);
        }
        return pods;
    }

    Path file(String clusterId, String podName) {
        return root.resolve(clusterId).resolve(podName + SUFFIX);
    }

    private static Optional<SimulatedPod> read(Path file) {
        // Most reads are of pods not made yet (every provision asks): java.io.File answers that without the exception that
        // Files would throw and fill in, on Java 17.
        if (!file.toFile().exists()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), SimulatedPod.class));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warnf("Skipping %s: not a simulated pod (%s)", file, e.getMessage());
            return Optional.empty();
        }
    }
}
