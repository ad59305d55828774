package dev.slipway.indexer.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * One Lucene index holding the records of one time range. Its range is written into every commit, so
 * the partition describes itself when it is opened again, whatever the granularity is by then.
 */
final class LogPartition implements AutoCloseable {

    private static final String START = "slipway.start";
    private static final String END = "slipway.end";

    private final Path dir;
    private final Instant start;
    private final Instant end;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** Locks by id hash: check-and-add of one id and its write happen as one step, other ids go on in parallel. */
    private final Object[] stripes = new Object[64];
    /** The ids in this partition; built on the first write, so a partition that is only searched costs nothing. */
    private volatile IdFilter ids;

    private LogPartition(Path dir, Instant start, Instant end) throws IOException {
        this.dir = dir;
        this.start = start;
        this.end = end;
        this.directory = FSDirectory.open(dir);
        IndexWriterConfig config = new IndexWriterConfig(new LogAnalyzer())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(48)
                .setIndexSort(LogFields.NEWEST_FIRST)
                .setCommitOnClose(false);
        this.writer = new IndexWriter(directory, config);
        this.writer.setLiveCommitData(Map.of(START, start.toString(), END, end.toString()).entrySet());
        this.searchers = new SearcherManager(writer, null);
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    static LogPartition create(Path dir, Instant start, Instant end) throws IOException {
        Files.createDirectories(dir);
        LogPartition partition = new LogPartition(dir, start, end);
        partition.writer.commit();
        return partition;
    }

    /** Opens a partition written earlier; its range comes from its last commit. */
    static LogPartition open(Path dir) throws IOException {
        try (FSDirectory directory = FSDirectory.open(dir)) {
            List<IndexCommit> commits = DirectoryReader.listCommits(directory);
            Map<String, String> data = commits.get(commits.size() - 1).getUserData();
            return new LogPartition(dir, Instant.parse(data.get(START)), Instant.parse(data.get(END)));
        }
    }

    Instant start() {
        return start;
    }

    Instant end() {
        return end;
    }

    /**
     * Adds the record, replacing an earlier copy of the same event id. An id the filter has certainly
     * not seen is added without a delete term; the write stays under the id's lock, so a second copy
     * that arrives meanwhile is sequenced after the first and its delete term replaces it.
     */
    void put(String eventId, Document doc) throws IOException {
        IdFilter filter = ids();
        synchronized (stripes[(eventId.hashCode() & 0x7fffffff) % stripes.length]) {
            if (filter.add(eventId)) {
                writer.addDocument(doc);
            } else {
                writer.updateDocument(LogFields.idTerm(eventId), doc);
            }
        }
    }

    private IdFilter ids() throws IOException {
        IdFilter filter = ids;
        if (filter == null) {
            synchronized (this) {
                if (ids == null) {
                    ids = existingIds();
                }
                filter = ids;
            }
        }
        return filter;
    }

    /** Every id already in the index (committed or not): after a restart, a re-sent record must still replace its copy. */
    private IdFilter existingIds() throws IOException {
        IdFilter filter = new IdFilter();
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                Terms terms = leaf.reader().terms(LogFields.ID);
                if (terms == null) {
                    continue;
                }
                TermsEnum iterator = terms.iterator();
                for (BytesRef term = iterator.next(); term != null; term = iterator.next()) {
                    filter.add(term.utf8ToString());
                }
            }
        }
        return filter;
    }

    void commit() throws IOException {
        if (writer.hasUncommittedChanges()) {
            writer.commit();
        }
    }

    void refresh() throws IOException {
        try {
            searchers.maybeRefresh();
        } catch (AlreadyClosedException e) {
            // Dropped by retention meanwhile.
        }
    }

    IndexSearcher acquire() throws IOException {
        return searchers.acquire();
    }

    void release(IndexSearcher searcher) throws IOException {
        searchers.release(searcher);
    }

    long records() {
        return writer.getDocStats().numDocs;
    }

    long bytes() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(LogPartition::size).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PartitionInfo info() {
        return new PartitionInfo(dir.getFileName().toString(), start, end, records(), bytes());
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }

    /** Closes without committing and deletes the files; readers already open keep their view. */
    void drop() throws IOException {
        writer.rollback();
        searchers.close();
        directory.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // deleted by a merge meanwhile
        }
    }
}
