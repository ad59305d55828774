package dev.slipway.logagent.tail;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every log file under {@code <root>/<cluster>/<pod>/}: finds files as pods come and go, knows each
 * by its {@link FileIdentity} (so a rotated file is the same file under a new name), reads them into
 * records, and keeps the acknowledged positions in the {@link OffsetStore}. One thread only.
 */
public final class LogDirectoryTail implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(LogDirectoryTail.class);

    private final FileTailer.Settings settings;
    private final OffsetStore store;
    private final Map<FileIdentity, OffsetStore.Entry> remembered;
    private final Map<Path, PodDirectory> pods = new TreeMap<>();
    private final ByteBuffer buffer;
    /** Generations of files finished in this run: the same identity again (truncated to nothing, same first line) is a new generation. */
    private final Map<FileIdentity, Integer> finishedGenerations = new LinkedHashMap<>();
    /** Listings so far, up to the point the remembered positions of files not found are let go. */
    private int listings;
    private int nextPod;

    public LogDirectoryTail(FileTailer.Settings settings, OffsetStore store) {
        this.settings = settings;
        this.store = store;
        this.remembered = new LinkedHashMap<>(store.load());
        this.buffer = ByteBuffer.allocate(settings.maxRecordBytes());
        LOG.info("Following the logs under {}; {} file positions remembered in {}", settings.root(), remembered.size(), store.file());
    }

    /**
     * Lists the pod directories: new files are followed, renamed ones recognised, ones missing from two listings in a row
     * finished. A directory that could not be listed (out of file handles, say) tells nothing: its files are neither seen
     * nor missed this round.
     */
    public void discover(long nowMillis) {
        List<Path> clusterDirs = list(settings.root());
        if (clusterDirs == null) {
            return;
        }
        Set<Path> livePods = new HashSet<>();
        for (Path clusterDir : clusterDirs) {
            if (!Files.isDirectory(clusterDir, LinkOption.NOFOLLOW_LINKS) || hidden(clusterDir)) {
                continue;
            }
            List<Path> podDirs = list(clusterDir);
            if (podDirs == null) {
                pods.keySet().stream().filter(dir -> dir.getParent().equals(clusterDir)).forEach(livePods::add);
                continue;
            }
            for (Path podDir : podDirs) {
                if (!Files.isDirectory(podDir, LinkOption.NOFOLLOW_LINKS) || hidden(podDir)) {
                    continue;
                }
                livePods.add(podDir);
                PodDirectory pod = pods.computeIfAbsent(podDir, PodDirectory::new);
                pod.refreshInfo();
                discover(pod, nowMillis);
            }
        }
        pods.forEach((dir, pod) -> {
            if (!livePods.contains(dir)) {
                pod.tailers.forEach(FileTailer::missedListing);
            }
        });
        if (listings < FileTailer.LISTINGS_MISSED_BEFORE_GONE && ++listings == FileTailer.LISTINGS_MISSED_BEFORE_GONE) {
            // Kept as long as a file may be missed: a first listing that raced with a rollover finds the file later.
            if (!remembered.isEmpty()) {
                LOG.info("{} remembered files are gone: {}", remembered.size(), remembered.values());
            }
            remembered.clear();
        }
    }

    private void discover(PodDirectory pod, long nowMillis) {
        List<Path> files = list(pod.directory());
        if (files == null) {
            return;
        }
        Set<FileTailer> seen = new HashSet<>();
        boolean complete = true;
        for (Path file : files) {
            if (!LogFiles.isLog(file) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                FileTailer tailer = identify(pod, file, nowMillis);
                if (tailer != null) {
                    seen.add(tailer);
                }
            } catch (NoSuchFileException e) {
                // rotated or deleted between listing and looking: the next round sees it
            } catch (IOException e) {
                LOG.warn("Cannot follow {}: {}", file, e.toString());
                complete = false;
            }
        }
        for (FileTailer tailer : pod.tailers) {
            if (seen.contains(tailer)) {
                tailer.listed();
            } else if (complete) {
                tailer.missedListing();
            }
        }
    }

    private FileTailer identify(PodDirectory pod, Path file, long nowMillis) throws IOException {
        long inode = inode(file);
        long size = Files.size(file);
        for (FileTailer tailer : pod.tailers) {
            if (tailer.gone()) {
                continue;
            }
            if (tailer.identity().inode() != inode) {
                if (tailer.path().equals(file)) {
                    // Its name belongs to another file now: it was rolled (or deleted), so it is never written again,
                    // even while no listing has shown its new name yet.
                    tailer.superseded();
                }
                continue;
            }
            if (tailer.listedSize() == size && tailer.path().equals(file)) {
                return tailer; // unchanged since the last round
            }
            if (tailer.identity().fingerprint().equals(FileIdentity.fingerprint(tailer.channel()))) {
                tailer.seenAt(file, size);
                return tailer;
            }
            // Same inode, other content: truncated and written anew, or a reused inode. A new file, and this
            // one is finished now (not after missed listings): its channel would otherwise read the new content.
            tailer.markGone();
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        boolean kept = false;
        try {
            if (inode(file) != inode) {
                return null; // replaced while being opened; the next round looks again
            }
            String fingerprint = FileIdentity.fingerprint(channel);
            if (fingerprint == null) {
                return null; // no complete first line yet
            }
            FileIdentity identity = new FileIdentity(inode, fingerprint);
            for (FileTailer tailer : pod.tailers) {
                if (tailer.identity().equals(identity)) {
                    return tailer.gone() ? null : tailer; // a finishing one: a fresh start would ship it twice
                }
            }
            OffsetStore.Entry entry = remembered.remove(identity);
            Integer finished = finishedGenerations.remove(identity);
            if (entry == null && finished != null) {
                entry = new OffsetStore.Entry(identity, finished + 1, 0, "");
            }
            FileTailer tailer = new FileTailer(settings, identity, pod, channel, file,
                    entry == null ? 0 : entry.generation(), entry == null ? 0 : entry.offset(), nowMillis);
            tailer.seenAt(file, size);
            pod.tailers.add(tailer);
            kept = true;
            LOG.info("Following {} ({}) from offset {}{}", settings.root().relativize(file), identity,
                    entry == null ? 0 : entry.offset(), entry == null ? "" : " (remembered)");
            return tailer;
        } finally {
            if (!kept) {
                channel.close();
            }
        }
    }

    /**
     * Reads records into {@code out} until it holds {@code limit}, pod after pod (each round starts
     * at the next pod, so a busy pod cannot starve the others), each pod's files oldest first.
     */
    public void read(List<Shipment> out, int limit, long nowMillis) {
        List<PodDirectory> order = new ArrayList<>(pods.values());
        if (order.isEmpty()) {
            return;
        }
        int start = Math.floorMod(nextPod++, order.size());
        for (int i = 0; i < order.size() && out.size() < limit; i++) {
            PodDirectory pod = order.get((start + i) % order.size());
            pod.sortOldestFirst();
            for (FileTailer tailer : pod.tailers) {
                if (out.size() >= limit) {
                    break;
                }
                try {
                    tailer.read(buffer, out, limit, nowMillis);
                } catch (IOException e) {
                    LOG.warn("Reading {} failed: {}", tailer, e.toString());
                    tailer.markGone();
                }
            }
        }
    }

    /** Kafka has these records: move the positions past them and remember that durably. */
    public void acknowledged(List<Shipment> batch) throws IOException {
        for (Shipment shipment : batch) {
            shipment.tailer().acknowledged(shipment.generation(), shipment.endOffset());
        }
        prune();
        save();
    }

    /** Forgets files that are gone and fully shipped; true if any was. Call only with no batch outstanding. */
    public boolean pruneFinished() throws IOException {
        if (prune()) {
            save();
            return true;
        }
        return false;
    }

    private boolean prune() {
        boolean changed = false;
        for (Iterator<PodDirectory> pods = this.pods.values().iterator(); pods.hasNext(); ) {
            PodDirectory pod = pods.next();
            for (Iterator<FileTailer> it = pod.tailers.iterator(); it.hasNext(); ) {
                FileTailer tailer = it.next();
                if (tailer.finished()) {
                    LOG.info("Finished {}", tailer);
                    tailer.close();
                    it.remove();
                    finishedGenerations.put(tailer.identity(), tailer.generation());
                    if (finishedGenerations.size() > 10_000) {
                        finishedGenerations.remove(finishedGenerations.keySet().iterator().next());
                    }
                    changed = true;
                }
            }
            if (pod.tailers.isEmpty() && !Files.isDirectory(pod.directory())) {
                pods.remove();
            }
        }
        return changed;
    }

    private void save() throws IOException {
        List<OffsetStore.Entry> entries = new ArrayList<>(remembered.values());
        pods.values().forEach(pod -> pod.tailers.forEach(t -> entries.add(t.committed())));
        store.save(entries);
    }

    /** How many files are followed right now. */
    public int files() {
        return pods.values().stream().mapToInt(pod -> pod.tailers.size()).sum();
    }

    @Override
    public void close() {
        pods.values().forEach(pod -> pod.tailers.forEach(FileTailer::close));
        pods.clear();
    }

    private static long inode(Path file) throws IOException {
        Object inode = Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        return ((Number) inode).longValue();
    }

    private static boolean hidden(Path path) {
        return path.getFileName().toString().startsWith(".");
    }

    /** The directory's entries, sorted; none when it is gone; null when it could not be listed. */
    private static List<Path> list(Path dir) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | DirectoryIteratorException e) {
            LOG.warn("Cannot list {}: {}", dir, e.toString());
            return null;
        }
        entries.sort(null);
        return entries;
    }
}
