package dev.slipway.logagent.tail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One pod's directory {@code <root>/<cluster>/<pod>/} and the files followed in it. */
final class PodDirectory {

    private final Path directory;
    private PodInfo info;
    final List<FileTailer> tailers = new ArrayList<>();

    PodDirectory(Path directory) {
        this.directory = directory;
        this.info = PodInfo.of(directory);
    }

    Path directory() {
        return directory;
    }

    /** The directory names: stable for the pod's life, so they go into the record ids. */
    String clusterDirectory() {
        return directory.getParent().getFileName().toString();
    }

    String podDirectory() {
        return directory.getFileName().toString();
    }

    PodInfo info() {
        return info;
    }

    /** pod.properties may be written after the first log line: look again until it is there. */
    void refreshInfo() {
        if (!info.fromFile()) {
            info = PodInfo.of(directory);
        }
    }

    /**
     * Oldest first: files that are gone, then rolled files by descending index, then the current one (a rolled file still
     * known by the current one's name, its new name not listed yet, before the file that took that name).
     */
    void sortOldestFirst() {
        tailers.sort(Comparator.comparing((FileTailer t) -> !t.gone())
                .thenComparing(t -> LogFiles.baseName(t.path()))
                .thenComparing(t -> -LogFiles.rotationIndex(t.path()))
                .thenComparing(t -> !t.rotated()));
    }
}
