package dev.slipway.indexer.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.Topics;
import dev.slipway.indexer.config.IndexerConfig;
import dev.slipway.indexer.logs.LiveLogBroadcast;
import dev.slipway.indexer.logs.LogIndex;
import dev.slipway.indexer.logs.LogSearch;
import dev.slipway.indexer.metrics.MetricStore;
import dev.slipway.messaging.CredentialTable;
import dev.slipway.messaging.KafkaMessages;
import dev.slipway.messaging.TopicSetup;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/** Opens the stores, starts the readers of logs, metrics and lifecycle topics, and closes all in order. */
@ApplicationScoped
public class IndexerRuntime {

    private static final Logger LOG = Logger.getLogger(IndexerRuntime.class);
    /** The SmallRye channel of records the indexer cannot read, onto {@code slipway.dead-letter.v1}. */
    static final String DEAD_LETTERS = "dead-letters";

    private final String bootstrapServers;
    private final IndexerConfig config;
    private final LiveLogBroadcast tail;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();
    private final BroadcastProcessor<ClusterEvent> clusterEvents = BroadcastProcessor.create();
    private final CredentialTable credentials;

    private volatile LogIndex logs;
    private volatile LogSearch search;
    private volatile MetricStore metrics;
    private final MutinyEmitter<byte[]> deadLetters;
    private LogSink logSink;
    private IngestLoop logLoop;
    private IngestLoop metricLoop;
    private ClusterEventRelay relay;
    private ScheduledExecutorService refresher;

    public IndexerRuntime(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, IndexerConfig config,
            LiveLogBroadcast tail, ObjectMapper json, @Channel(DEAD_LETTERS) MutinyEmitter<byte[]> deadLetters) {
        this.bootstrapServers = bootstrapServers;
        this.deadLetters = deadLetters;
        this.config = config;
        this.tail = tail;
        this.json = json;
        this.credentials = new CredentialTable(bootstrapServers);
    }

    void onStart(@Observes StartupEvent startup) {
        TopicSetup.ensure(bootstrapServers, config.topicPartitions(), config.topicReplicationFactor());
        credentials.start();
        start();
    }

    void onStop(@Observes ShutdownEvent shutdown) {
        stop();
        credentials.close();
    }

    /** Opens the indexes from disk and starts reading; readers resume at the group's committed offsets. */
    public synchronized void start() {
        try {
            Path root = Path.of(config.dataDir());
            logs = new LogIndex(root.resolve("logs"), config.logs().partitionBy(), config.logs().retention(),
                    config.logs().maxSize().asLongValue(), clock);
            search = new LogSearch(logs);
            metrics = new MetricStore(root.resolve("metrics"), clock, config.metrics().rawRetention(),
                    config.metrics().rollupStep(), config.metrics().rollupRetention());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the indexes under " + config.dataDir(), e);
        }
        logSink = new LogSink(logs, tail, config.logs().retentionCheckInterval(), config.logs().indexThreads());
        logLoop = new IngestLoop(bootstrapServers, config.consumerGroup(), Topics.LOGS, logSink, config.commitInterval(),
                this::deadLetter).start();
        metricLoop = new IngestLoop(bootstrapServers, config.consumerGroup(), Topics.METRICS,
                new MetricSink(metrics, config.metrics().compactionInterval()), config.commitInterval(), this::deadLetter).start();
        relay = new ClusterEventRelay(bootstrapServers, clusterEvents, json).start();
        refresher = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "index-refresh"));
        long every = config.logs().refreshInterval().toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("log-metric-indexer reading %s and %s in group %s from %s; indexes under %s", Topics.LOGS, Topics.METRICS,
                config.consumerGroup(), bootstrapServers, config.dataDir());
    }

    /** Stops reading, commits what was indexed (then the offsets) and closes the indexes. */
    public synchronized void stop() {
        if (refresher == null) {
            return;
        }
        refresher.shutdownNow();
        relay.close();
        logLoop.close();
        logSink.close();
        metricLoop.close();
        try {
            logs.close();
            metrics.close();
        } catch (IOException e) {
            LOG.warnf(e, "closing the indexes: %s", e.getMessage());
        }
        refresher = null;
    }

    public LogIndex logs() {
        return logs;
    }

    public LogSearch search() {
        return search;
    }

    public MetricStore metrics() {
        return metrics;
    }

    public Multi<ClusterEvent> clusterEvents(String clusterId) {
        // A dashboard that reads slowly gets a buffer, not a failed stream.
        return clusterEvents.filter(event -> event.clusterId().equals(clusterId)).onOverflow().buffer(10_000);
    }

    public boolean healthy() {
        return refresher != null && logLoop.healthy() && metricLoop.healthy() && relay.running() && credentials.loaded()
                && credentials.running();
    }

    /** False once a started reader (logs, metrics, the relay, the revocations) has ended; true before the start. */
    public boolean workersAlive() {
        return refresher == null || (logLoop.healthy() && metricLoop.healthy() && relay.running() && credentials.running());
    }

    /** Each cluster's lowest token generation still valid; not loaded until it has read every revocation. */
    public CredentialTable credentials() {
        return credentials;
    }

    /** Sends now (the emitter's Uni is lazy): completed once the broker acknowledged the dead letter. */
    private CompletableFuture<Void> deadLetter(ProducerRecord<String, byte[]> record) {
        return deadLetters.sendMessage(KafkaMessages.of(record)).subscribeAsCompletionStage();
    }

    private void refresh() {
        try {
            logs.refresh();
            metrics.refresh();
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "refreshing searchers: %s", e.getMessage());
        }
    }
}
