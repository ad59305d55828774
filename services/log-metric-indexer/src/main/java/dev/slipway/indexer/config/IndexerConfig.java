package dev.slipway.indexer.config;

import dev.slipway.indexer.logs.Granularity;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Configuration of the log-metric-indexer (keys documented in README.md). */
@ConfigMapping(prefix = "slipway.indexer")
public interface IndexerConfig {

    /** Where the Lucene indexes live: {@code logs/<partition>/} and {@code metrics/}. */
    @WithDefault("data/indexer")
    String dataDir();

    /** Consumer group of the log and metric readers; instances of one group share the partitions. */
    @WithDefault("slipway-log-metric-indexer")
    String consumerGroup();

    /** How often index changes are committed and, after them, the Kafka offsets. */
    @WithDefault("1s")
    Duration commitInterval();

    /** Partitions of topics created at start (existing topics are left as they are). */
    @WithDefault("4")
    int topicPartitions();

    @WithDefault("1")
    short topicReplicationFactor();

    /** Secret that clusters' tokens are signed with (the same value as job-submission's): a reader token reads its cluster. */
    String clusterTokenSecret();

    /** The platform operator's token: reads every cluster, and across clusters. Unset: nobody reads across clusters. */
    Optional<String> operatorToken();

    Logs logs();

    Metrics metrics();

    interface Logs {

        /** One Lucene index per HOUR or DAY of the records' time (UTC). */
        @WithDefault("HOUR")
        Granularity partitionBy();

        /** Partitions whose whole time range is older than this are dropped; older records are not indexed. */
        @WithDefault("7d")
        Duration retention();

        /** The oldest partitions are dropped while all of them together are larger than this. */
        @WithDefault("20G")
        MemorySize maxSize();

        /** How often searchers reopen to see new records (near real time). */
        @WithDefault("200ms")
        Duration refreshInterval();

        /** How often retention by age and size is checked. */
        @WithDefault("30s")
        Duration retentionCheckInterval();

        /** Threads that decode and index one polled batch together. */
        @WithDefault("2")
        int indexThreads();

        /** Largest page a search may ask for. */
        @WithDefault("1000")
        int maxLimit();
    }

    interface Metrics {

        /** Raw samples older than this are rolled up into buckets of rollup-step and deleted. */
        @WithDefault("2h")
        Duration rawRetention();

        /** Width of a rollup bucket (min, max, sum, count). */
        @WithDefault("1m")
        Duration rollupStep();

        /** Rollups older than this are deleted. */
        @WithDefault("30d")
        Duration rollupRetention();

        /** How often raw samples past raw-retention are rolled up. */
        @WithDefault("1m")
        Duration compactionInterval();

        /** Most buckets one series may have in a query answer. */
        @WithDefault("10000")
        int maxPoints();
    }
}
