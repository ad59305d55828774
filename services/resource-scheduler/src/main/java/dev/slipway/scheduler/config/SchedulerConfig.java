package dev.slipway.scheduler.config;

import dev.slipway.scheduler.loop.Delivery;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Optional;

/** Configuration of the resource-scheduler (keys documented in README.md). */
@ConfigMapping(prefix = "slipway.scheduler")
public interface SchedulerConfig {

    /** Consumer group of the instances that share the clusters. */
    @WithDefault("slipway-resource-scheduler")
    String consumerGroup();

    /** This instance's name, part of its transactional id; must differ between instances. Default: a random id. */
    Optional<String> instanceId();

    /** How often a tick is written for each owned cluster. */
    @WithDefault("5s")
    Duration tickInterval();

    /** Partitions of topics created at start (existing topics are left as they are). */
    @WithDefault("4")
    int topicPartitions();

    @WithDefault("1")
    short topicReplicationFactor();

    /** Decisions per cluster kept in memory for the decisions endpoint. */
    @WithDefault("1000")
    int decisionsKept();

    /** AT_LEAST_ONCE (decisions acknowledged, then offsets committed) or EXACTLY_ONCE (one transaction). */
    @WithDefault("AT_LEAST_ONCE")
    Delivery delivery();

    /** Events of a partition between two snapshots of its changed clusters. */
    @WithDefault("10000")
    int snapshotEveryEvents();

    /** Secret that cluster tokens are signed with; the same value as job-submission's. */
    String clusterTokenSecret();

    /**
     * The platform operator's token: reads every cluster's decisions, state and replays (a tenant reads its own with the
     * cluster's reader token). Unset: nobody reads across clusters.
     */
    Optional<String> operatorToken();

    /**
     * Replays run at once, at most (each reads a cluster's whole history and decides it again, a core's work for a long
     * history); one more is answered 429 with Retry-After, so replays never starve the decision loop.
     */
    @WithDefault("2")
    @Min(1)
    int maxConcurrentReplays();

    /**
     * Longest a resource request or release waits for the broker's acknowledgement before it is answered 503 with
     * Retry-After: under the resource manager's own 10 s timeout, so an overloaded or cut-off broker gives the caller an
     * answer rather than a call that times out (and a connection it drops). The event may still be recorded; the caller
     * sends it again, and the same request is answered once.
     */
    @WithDefault("5s")
    Duration acknowledgementTimeout();
}
