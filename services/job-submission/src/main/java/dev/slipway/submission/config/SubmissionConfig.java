package dev.slipway.submission.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import io.quarkus.runtime.configuration.MemorySize;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    Jobs jobs();

    JobManagers jobManagers();

    Console console();

    /** The web console at {@code /console/}: a page of this service that also reads the log-metric-indexer. */
    interface Console {

        /** The indexer's base URL as the browser reaches it (its CORS origins must include this service's URL). */
        @WithDefault("http://localhost:8084")
        String indexerUrl();

        /** The resource-scheduler's base URL as the browser reaches it, for a cluster's recent decisions (CORS as above). */
        @WithDefault("http://localhost:8081")
        String schedulerUrl();
    }

    interface Jobs {

        /** Largest jar accepted (the HTTP body limit, quarkus.http.limits.max-body-size, must be a little larger). */
        @WithDefault("100M")
        MemorySize maxJarSize();

        /** Where uploaded jars are kept, content-addressed: {@code <dir>/<sha256[0..2]>/<sha256>.jar}. */
        String artifactDir();

        /**
         * Savepoints' target directory, a URI every JobManager and TaskManager can write (file:// only for local
         * processes; s3:// or another shared file system on Kubernetes). Default: {@code <artifact-dir>/savepoints}
         * as a file:// URI. Each job writes under {@code <dir>/<job id>}.
         */
        Optional<String> savepointDir();

        /**
         * Where runs keep their checkpoints, a URI like {@link #savepointDir()}: each job's runs under
         * {@code <dir>/<job id>} (Flink adds the Flink job id), retained when a run is cancelled or fails so a restart can
         * start from the latest. Default: {@code <savepoint-dir>/checkpoints} when the savepoint directory is set, else
         * {@code <artifact-dir>/checkpoints} as a file:// URI.
         */
        Optional<String> checkpointDir();

        /** How often the reconciler looks at jobs with a live run or an action in progress. */
        @WithDefault("2s")
        Duration pollInterval();

        /** A savepoint (or a stop's savepoint) not complete after this long fails its action. */
        @WithDefault("10m")
        Duration savepointTimeout();

        /**
         * After a run ended, how long Flink may go on naming a discarded checkpoint as the run's latest before the run's end
         * is recorded without a retained checkpoint. Longer than Flink's {@code rest.cache.checkpoint-statistics.timeout}
         * (its {@code web.refresh-interval}, 3 s by default), whose cached answers can name a checkpoint a newer one subsumed.
         */
        @WithDefault("10s")
        Duration checkpointSettleTimeout();

        /**
         * Savepoints of a job kept on storage: the reconciler disposes of older ones through Flink, except any the job may
         * still start from (its latest, what its run restored from, a version's initial savepoint). At least 1.
         */
        @WithDefault("5")
        @Min(1)
        int savepointsKept();

        /** Timeout of one call to a JobManager (the jar upload included). */
        @WithDefault("60s")
        Duration httpTimeout();

        /** Off only for tests or maintenance: jobs are then accepted but nothing is sent to Flink. */
        @WithDefault("true")
        boolean reconcilerEnabled();

        /** Removal of stored jars that no job version references any more. */
        ArtifactCollection artifactCollection();

        /** Restarts of runs their JobManager lost (without high availability, or with its data gone). */
        AutoRestart autoRestart();

        /** Where a job's Maven dependencies come from. */
        Dependencies dependencies();
    }

    /**
     * A job's {@code dependencies} (Maven coordinates) are fetched from these repositories, in order, verified against the
     * repository's SHA-1 and kept in the artifact store: the next job that names the same coordinate takes the stored jar.
     */
    interface Dependencies {

        /** Repositories with Maven's layout: {@code https://...} (a company mirror) or {@code file:///...}. */
        @WithDefault("https://repo.maven.apache.org/maven2")
        List<String> repositories();

        /** Timeout of connecting to a repository and of each download. */
        @WithDefault("60s")
        Duration timeout();
    }

    /**
     * A run its cluster's JobManager no longer knows is submitted again from the newest checkpoint found for it (or the job's
     * newest savepoint), at most {@code max-attempts} times per {@code window}, the n-th after {@code initial-backoff} x 2^(n-1).
     */
    interface AutoRestart {

        /** Automatic restarts per window; 0: a lost run leaves the job FAILED. */
        @WithDefault("3")
        @Min(0)
        int maxAttempts();

        @WithDefault("30m")
        Duration window();

        @WithDefault("2s")
        Duration initialBackoff();
    }

    interface ArtifactCollection {

        /** Off: stored jars are kept for ever. */
        @WithDefault("true")
        boolean enabled();

        /** How often one instance (a PostgreSQL advisory lock) looks for unreferenced jars; the first look is after one interval. */
        @WithDefault("1h")
        Duration interval();

        /**
         * A jar (or an upload's temporary file) younger than this is never removed: its upload's transaction may still be
         * in flight. Must be longer than any upload and its commit.
         */
        @WithDefault("1h")
        Duration gracePeriod();
    }

    interface JobManagers {

        /** LOCAL: ask the pod-provisioner where it runs the JobManager; KUBERNETES: the JobManager's Service. */
        @WithDefault("LOCAL")
        Locator locator();

        /** LOCAL: the pod-provisioner's base URL. */
        @WithDefault("http://127.0.0.1:8082")
        String provisionerUrl();

        /** KUBERNETES: the namespace of the clusters' JobManager Services ({@code <cluster>-jobmanager}). */
        @WithDefault("slipway")
        String namespace();

        /** KUBERNETES: the JobManager Service's REST port. */
        @WithDefault("8081")
        int restPort();

        enum Locator {
            LOCAL,
            KUBERNETES
        }
    }

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
