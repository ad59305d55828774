package dev.slipway.submission.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Configuration of job-submission (keys documented in README.md). */
@ConfigMapping(prefix = "slipway.job-submission")
public interface SubmissionConfig {

    /** Signs the cluster tokens issued on create; must equal the resource-scheduler's and the provisioner's secret. */
    String clusterTokenSecret();

    /**
     * The tenants, by name: {@code slipway.job-submission.tenants.<tenant>.token} is the API token callers send as
     * {@code Authorization: Bearer <token>}; the quotas are optional.
     */
    Map<String, TenantConfig> tenants();

    /** Flink release lines clusters may use, as major.minor; any patch release of a line is accepted. */
    @WithDefault("2.2,1.20")
    List<String> flinkVersions();

    /** Consumer group of the instances that follow pod facts and scheduler health into cluster status. */
    @WithDefault("slipway-job-submission")
    String consumerGroup();

    /** Partitions of topics created at start (existing topics are left as they are). */
    @WithDefault("4")
    int topicPartitions();

    @WithDefault("1")
    short topicReplicationFactor();

    Outbox outbox();

    interface TenantConfig {

        /** The tenant's API token (at least 16 characters). */
        String token();

        /** Clusters the tenant may have at once (not counting those being deleted); 0 means no limit. */
        @WithDefault("10")
        int maxClusters();

        /** TaskManagers summed over the maxima of the tenant's clusters; 0 means no limit. */
        @WithDefault("100")
        int maxTaskManagers();
    }

    interface Outbox {

        /** How often the relay looks for unsent events when no write woke it. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Events published per relay transaction. */
        @WithDefault("200")
        int batchSize();

        /** Off only for maintenance or tests: events then stay in the outbox until a relay runs. */
        @WithDefault("true")
        boolean enabled();
    }
}
