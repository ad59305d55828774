package dev.slipway.indexer.logs;

import dev.slipway.contracts.telemetry.LogRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.jboss.logging.Logger;

/**
 * Log records in Lucene indexes partitioned by time. A record goes to the partition of its own time,
 * replacing any earlier copy with the same event id (a re-sent batch changes nothing). The ingest
 * loop's threads add records; commits and retention run on the loop's own thread between batches;
 * searches and refreshes run on any thread.
 */
public final class LogIndex implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LogIndex.class);
    private static final DateTimeFormatter NAMES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH").withZone(ZoneOffset.UTC);

    private final Path root;
    private final Granularity granularity;
    private final Duration retention;
    private final long maxBytes;
    private final Clock clock;
    private final ConcurrentSkipListMap<Instant, LogPartition> partitions = new ConcurrentSkipListMap<>();

    public LogIndex(Path root, Granularity granularity, Duration retention, long maxBytes, Clock clock) throws IOException {
        this.root = root;
        this.granularity = granularity;
        this.retention = retention;
        this.maxBytes = maxBytes;
        this.clock = clock;
        Files.createDirectories(root);
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                if (indexExists(dir)) {
                    LogPartition partition = LogPartition.open(dir);
                    partitions.put(partition.start(), partition);
                }
            }
        }
    }

    /** Indexes the record; false when it is older than retention and so not kept. */
    public boolean add(LogRecord record, byte[] json) throws IOException {
        if (!record.occurredAt().isAfter(cutoff())) {
            return false;
        }
        partitionFor(record.occurredAt()).put(record.eventId(), LogFields.document(record, json));
        return true;
    }

    /** Makes every change durable; Kafka offsets may be committed after this returns. */
    public void commit() throws IOException {
        for (LogPartition partition : partitions.values()) {
            partition.commit();
        }
    }

    /** Reopens searchers that are behind the writers (near real time). */
    public void refresh() throws IOException {
        for (LogPartition partition : partitions.values()) {
            partition.refresh();
        }
    }

    /**
     * Drops partitions whose whole range is past retention, then the oldest ones while the total is
     * above the size limit. The newest partition is never dropped for size.
     */
    public List<PartitionInfo> enforceRetention() throws IOException {
        List<PartitionInfo> dropped = new ArrayList<>();
        Instant cutoff = cutoff();
        for (LogPartition partition : List.copyOf(partitions.values())) {
            if (!partition.end().isAfter(cutoff)) {
                dropped.add(drop(partition));
            }
        }
        long total = partitions.values().stream().mapToLong(LogPartition::bytes).sum();
        while (total > maxBytes && partitions.size() > 1) {
            LogPartition oldest = partitions.firstEntry().getValue();
            PartitionInfo info = drop(oldest);
            total -= info.bytes();
            dropped.add(info);
        }
        return dropped;
    }

    /** Oldest first. */
    public List<PartitionInfo> partitions() {
        return partitions.values().stream().map(LogPartition::info).toList();
    }

    /**
     * One searcher over the partitions that overlap [from, to); null bounds are open. Close the
     * returned view to release the partitions' readers.
     */
    public View acquire(Instant from, Instant to) throws IOException {
        List<LogPartition> used = new ArrayList<>();
        List<IndexSearcher> acquired = new ArrayList<>();
        for (LogPartition partition : partitions.values()) {
            boolean overlaps = (from == null || partition.end().isAfter(from)) && (to == null || partition.start().isBefore(to));
            if (!overlaps) {
                continue;
            }
            try {
                acquired.add(partition.acquire());
                used.add(partition);
            } catch (AlreadyClosedException e) {
                // Dropped by retention while this search started.
            }
        }
        IndexReader[] readers = acquired.stream().map(IndexSearcher::getIndexReader).toArray(IndexReader[]::new);
        return new View(new IndexSearcher(new MultiReader(readers, false)), used, acquired);
    }

    /** A searcher over several partitions, holding their readers until closed. */
    public static final class View implements AutoCloseable {
        private final IndexSearcher searcher;
        private final List<LogPartition> partitions;
        private final List<IndexSearcher> acquired;

        private View(IndexSearcher searcher, List<LogPartition> partitions, List<IndexSearcher> acquired) {
            this.searcher = searcher;
            this.partitions = partitions;
            this.acquired = acquired;
        }

        public IndexSearcher searcher() {
            return searcher;
        }

        @Override
        public void close() throws IOException {
            searcher.getIndexReader().close();
            for (int i = 0; i < partitions.size(); i++) {
                partitions.get(i).release(acquired.get(i));
            }
        }
    }

    @Override
    public void close() throws IOException {
        for (Map.Entry<Instant, LogPartition> entry : partitions.entrySet()) {
            entry.getValue().close();
        }
        partitions.clear();
    }

    private static boolean indexExists(Path dir) throws IOException {
        try (FSDirectory directory = FSDirectory.open(dir)) {
            return DirectoryReader.indexExists(directory);
        }
    }

    private Instant cutoff() {
        return clock.instant().minus(retention);
    }

    /** Synchronized: indexing threads may ask for a new partition at the same moment. */
    private synchronized LogPartition partitionFor(Instant time) throws IOException {
        Instant start = granularity.start(time);
        LogPartition partition = partitions.get(start);
        if (partition == null) {
            // A partition created earlier under another granularity may already cover this time.
            Map.Entry<Instant, LogPartition> floor = partitions.floorEntry(time);
            if (floor != null && floor.getValue().end().isAfter(time)) {
                return floor.getValue();
            }
            Instant end = granularity.end(start);
            Map.Entry<Instant, LogPartition> next = partitions.higherEntry(start);
            if (next != null && next.getKey().isBefore(end)) {
                end = next.getKey();
            }
            partition = LogPartition.create(root.resolve(NAMES.format(start)), start, end);
            partitions.put(start, partition);
            LOG.infof("log partition %s opened for [%s, %s)", NAMES.format(start), start, end);
        }
        return partition;
    }

    private PartitionInfo drop(LogPartition partition) throws IOException {
        PartitionInfo info = partition.info();
        partitions.remove(partition.start());
        partition.drop();
        LOG.infof("log partition %s dropped (%d records, %d bytes)", info.name(), info.records(), info.bytes());
        return info;
    }
}
