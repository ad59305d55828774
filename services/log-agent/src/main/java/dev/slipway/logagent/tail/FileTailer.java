package dev.slipway.logagent.tail;

import dev.slipway.contracts.Events;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.logagent.parse.FlinkLogLine;
import dev.slipway.logagent.parse.FlinkLogParser;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * One log file being followed. It reads complete lines from its position, joins continuation lines
 * to the event they belong to and hands out finished records. The channel stays open, so a renamed
 * (rotated) or deleted file is read to its end. Record ids depend only on the file's identity, its
 * generation (truncations seen) and the record's first byte, so reading again from an acknowledged
 * offset produces the very same records.
 */
public final class FileTailer implements Closeable {

    /** What every tailer of an agent shares. */
    public record Settings(Path root, ZoneId zone, int maxRecordBytes, long flushIdleMillis) {
    }

    /** Consecutive listings of the pod directory that did not show this file; see {@link #missedListing()}. */
    static final int LISTINGS_MISSED_BEFORE_GONE = 2;

    private final Settings settings;
    private final FileIdentity identity;
    private final PodDirectory pod;
    private final FileChannel channel;
    private Path path;
    private int missedListings;
    private boolean rotated;
    private boolean gone;
    private boolean stale;
    private boolean exhausted;

    private int generation;
    private long position;
    private Pending pending;
    private long observedSize = -1;
    private long listedSize = -1;
    private long lastGrowthMillis;

    private int committedGeneration;
    private long committedOffset;

    FileTailer(Settings settings, FileIdentity identity, PodDirectory pod, FileChannel channel, Path path,
               int generation, long offset, long nowMillis) {
        this.settings = settings;
        this.identity = identity;
        this.pod = pod;
        this.channel = channel;
        this.path = path;
        this.rotated = LogFiles.rotationIndex(path) > 0;
        this.generation = generation;
        this.position = offset;
        this.committedGeneration = generation;
        this.committedOffset = offset;
        this.lastGrowthMillis = nowMillis;
    }

    public FileIdentity identity() {
        return identity;
    }

    int generation() {
        return generation;
    }

    public Path path() {
        return path;
    }

    FileChannel channel() {
        return channel;
    }

    PodDirectory pod() {
        return pod;
    }

    long listedSize() {
        return listedSize;
    }

    boolean gone() {
        return gone;
    }

    /**
     * Missing from this listing of its pod directory. One miss is not enough to finish the file: a
     * listing that races with log4j's rollover (the rename, then the new file) can see neither the
     * old name nor the new one, and a file finished too early is later found under its new name as
     * a new generation and shipped again from its start. Two listings in a row are.
     */
    void missedListing() {
        if (++missedListings >= LISTINGS_MISSED_BEFORE_GONE) {
            markGone();
        }
    }

    /** Listed this round, under whatever name. */
    void listed() {
        missedListings = 0;
    }

    /** Another file has this one's name: it was rolled or deleted, and its last line is complete as it is. */
    void superseded() {
        rotated = true;
    }

    /** Rolled: never written again. */
    boolean rotated() {
        return rotated;
    }

    /** Seen again under {@code current} (the same name, or the rotated one). */
    void seenAt(Path current, long size) {
        this.path = current;
        this.listedSize = size;
        if (LogFiles.rotationIndex(current) > 0) {
            rotated = true; // a rolled file is never written again
        }
    }

    /**
     * Not in the pod directory any more (deleted, truncated to nothing, or replaced): read what the
     * open channel still holds, if it is still this file's content, then finish.
     */
    void markGone() {
        if (gone) {
            return;
        }
        gone = true;
        try {
            stale = !identity.fingerprint().equals(FileIdentity.fingerprint(channel));
        } catch (IOException e) {
            stale = true;
        }
    }

    /** Gone, read to the end and every record handed out: nothing more will come from this file. */
    boolean finished() {
        return gone && exhausted && pending == null;
    }

    /** The acknowledged position, for the offset store. */
    OffsetStore.Entry committed() {
        return new OffsetStore.Entry(identity, committedGeneration, committedOffset, settings.root().relativize(path).toString());
    }

    /** Kafka acknowledged a record of this file that ends at {@code endOffset}. */
    void acknowledged(int recordGeneration, long endOffset) {
        committedGeneration = recordGeneration;
        committedOffset = endOffset;
    }

    /**
     * Reads on until {@code out} holds {@code limit} records or the file has nothing more that is
     * complete. The buffer is shared by every tailer (one thread).
     */
    void read(ByteBuffer buffer, List<Shipment> out, int limit, long nowMillis) throws IOException {
        if (exhausted) {
            return;
        }
        if (stale) {
            flush(out, nowMillis);
            exhausted = true;
            return;
        }
        long size = channel.size();
        if (size != observedSize) {
            // Changed since the last look: still the file this reader follows? Rewritten in place with another first line
            // (longer or shorter than before) it is another file, which the next listing follows on its own: reading it
            // here too would ship it twice. What was read before still ships.
            String fingerprint = FileIdentity.fingerprint(channel);
            if (fingerprint == null) {
                flush(out, nowMillis);
                return; // emptied, its new first line not complete yet: looked at again at the next read
            }
            if (!fingerprint.equals(identity.fingerprint())) {
                flush(out, nowMillis);
                markGone();
                exhausted = true;
                return;
            }
            observedSize = size;
            lastGrowthMillis = nowMillis;
        }
        if (size < position) {
            // Truncated in place and begun again with the same first line: the file starts over as a new generation.
            flush(out, nowMillis);
            generation++;
            position = 0;
        }
        byte[] bytes = buffer.array();
        while (out.size() < limit && position < size) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), size - position));
            int n = 0;
            while (buffer.hasRemaining()) {
                int r = channel.read(buffer, position + n);
                if (r <= 0) {
                    break;
                }
                n += r;
            }
            if (n <= 0) {
                break;
            }
            int lineStart = 0;
            for (int i = 0; i < n && out.size() < limit; i++) {
                if (bytes[i] == '\n') {
                    line(bytes, lineStart, i, position + lineStart, position + i + 1, out, nowMillis);
                    lineStart = i + 1;
                }
            }
            if (lineStart == 0 && n == buffer.capacity()) {
                // A line longer than the longest record: cut it there.
                line(bytes, 0, n, position, position + n, out, nowMillis);
                lineStart = n;
            }
            if (lineStart == 0) {
                break; // only an incomplete line is left
            }
            position += lineStart;
        }
        if (out.size() >= limit) {
            return;
        }
        if (rotated || gone) {
            if (position < size) {
                // The file is final: its last line is complete even without a newline.
                int n = readFully(buffer, position, (int) Math.min(buffer.capacity(), size - position));
                line(bytes, 0, n, position, position + n, out, nowMillis);
                position += n;
                if (position < size) {
                    return;
                }
            }
            flush(out, nowMillis);
            exhausted = gone;
        } else if (pending != null && nowMillis - lastGrowthMillis >= settings.flushIdleMillis()) {
            flush(out, nowMillis);
        }
    }

    private int readFully(ByteBuffer buffer, long from, int length) throws IOException {
        buffer.clear();
        buffer.limit(length);
        int n = 0;
        while (buffer.hasRemaining()) {
            int r = channel.read(buffer, from + n);
            if (r <= 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private void line(byte[] bytes, int from, int to, long start, long end, List<Shipment> out, long nowMillis) {
        int length = to - from;
        if (length > 0 && bytes[to - 1] == '\r') {
            to--;
        }
        String text = new String(bytes, from, to - from, StandardCharsets.UTF_8);
        FlinkLogLine header = FlinkLogParser.parse(text);
        if (header != null) {
            flush(out, nowMillis);
            pending = new Pending(start, header, header.context() == null ? header.message() : "[" + header.context() + "] " + header.message());
        } else if (pending == null) {
            pending = new Pending(start, null, text);
        } else if (pending.bytes + length > settings.maxRecordBytes()) {
            flush(out, nowMillis);
            pending = new Pending(start, null, text);
        } else {
            pending.message.append('\n').append(text);
        }
        pending.bytes += length;
        pending.end = end;
    }

    private void flush(List<Shipment> out, long nowMillis) {
        if (pending == null) {
            return;
        }
        Pending p = pending;
        pending = null;
        PodInfo info = pod.info();
        FlinkLogLine h = p.header;
        Instant time = h == null ? Instant.ofEpochMilli(nowMillis) : h.time().atZone(settings.zone()).toInstant();
        String eventId = Events.deterministicId("log", pod.clusterDirectory(), pod.podDirectory(),
                Long.toString(identity.inode()), identity.fingerprint(), Integer.toString(generation), Long.toString(p.start));
        LogRecord record = new LogRecord(eventId, info.clusterId(), time, info.podName(), info.role(), info.jobId(),
                h == null ? null : h.level(), h == null ? null : h.logger(), h == null ? null : h.thread(),
                p.message.toString(), settings.root().relativize(path).toString(), p.start);
        out.add(new Shipment(this, generation, p.end, record));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    @Override
    public String toString() {
        return path + " (" + identity + ", generation " + generation + ", at " + position + ")";
    }

    private static final class Pending {
        final long start;
        final FlinkLogLine header;
        final StringBuilder message;
        int bytes;
        long end;

        Pending(long start, FlinkLogLine header, String message) {
            this.start = start;
            this.header = header;
            this.message = new StringBuilder(message);
        }
    }
}
