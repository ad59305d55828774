package dev.slipway.logagent.tail;

import dev.slipway.contracts.resources.PodRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Who wrote the logs of one pod directory {@code <root>/<cluster>/<pod>/}: from its
 * {@code pod.properties} (keys {@code cluster}, {@code pod}, {@code role}, optional {@code job}, as the
 * pod-provisioner's local backend writes it), else from the path and the pod's name.
 *
 * @param fromFile whether {@code pod.properties} was read (if not, it is looked for again later)
 */
public record PodInfo(String clusterId, String podName, PodRole role, String jobId, boolean fromFile) {

    public static final String FILE = "pod.properties";

    public static PodInfo of(Path podDirectory) {
        String cluster = podDirectory.getParent().getFileName().toString();
        String pod = podDirectory.getFileName().toString();
        Path file = podDirectory.resolve(FILE);
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
                return new PodInfo(p.getProperty("cluster", cluster), p.getProperty("pod", pod),
                        role(p.getProperty("role"), pod), blankToNull(p.getProperty("job")), true);
            } catch (IOException | IllegalArgumentException e) {
                // Being written right now, or unreadable: fall back to the path and look again later.
            }
        }
        return new PodInfo(cluster, pod, role(null, pod), null, false);
    }

    private static PodRole role(String declared, String podName) {
        if (declared != null && !declared.isBlank()) {
            try {
                return PodRole.valueOf(declared.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // fall through to the name
            }
        }
        String name = podName.toLowerCase(Locale.ROOT);
        if (name.contains("-jm-") || name.contains("jobmanager")) {
            return PodRole.JOB_MANAGER;
        }
        if (name.contains("-tm-") || name.contains("taskmanager")) {
            return PodRole.TASK_MANAGER;
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
