package dev.slipway.submission.artifact;

import dev.slipway.submission.config.SubmissionConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Periodically removes stored jars that no job version references ({@code job_versions.artifact_sha256} and its
 * {@code dependencies}) and uploads'
 * leftover temporary files, once they are older than the grace period: an upload stores its jar before its transaction
 * records the version, and reusing an existing jar touches it ({@link ArtifactStore#store}), so a jar whose transaction
 * may be in flight is always younger than that.
 *
 * <p>One instance collects at a time: the pass runs in a transaction that holds a PostgreSQL advisory lock, as the outbox
 * relay does. Blocking (JDBC and files) on its own thread.
 */
@ApplicationScoped
public class ArtifactCollector {

    private static final Logger LOG = Logger.getLogger(ArtifactCollector.class);
    /** PostgreSQL advisory lock key of the collector ("slipway artifacts"). */
    public static final long COLLECTOR_LOCK = 0x5_1177_0a7fL;

    private final DataSource dataSource;
    private final ArtifactStore artifacts;
    private final SubmissionConfig.ArtifactCollection config;
    private final Clock clock;
    private ScheduledExecutorService executor;

    public ArtifactCollector(DataSource dataSource, ArtifactStore artifacts, SubmissionConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.artifacts = artifacts;
        this.config = config.jobs().artifactCollection();
        this.clock = clock;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "artifact-collector");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.interval().toMillis();
        executor.scheduleWithFixedDelay(this::collectQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    private void collectQuietly() {
        try {
            collectOnce().ifPresent(result -> {
                if (!result.jars().isEmpty() || result.uploads() > 0) {
                    LOG.infof("artifact collector: removed %d unreferenced jars and %d leftover uploads (%d bytes)",
                            result.jars().size(), result.uploads(), result.bytes());
                }
            });
        } catch (Exception e) {
            LOG.warnf("artifact collector: the pass failed and is tried at the next interval: %s", e.toString());
        }
    }

    /** One pass; empty when another instance is collecting. */
    public Optional<ArtifactSweep.Result> collectOnce() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Optional<ArtifactSweep.Result> result = collect(connection);
                connection.commit();
                return result;
            } catch (Exception e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private Optional<ArtifactSweep.Result> collect(Connection connection) throws Exception {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, COLLECTOR_LOCK);
            try (ResultSet locked = lock.executeQuery()) {
                if (!locked.next() || !locked.getBoolean(1)) {
                    return Optional.empty();
                }
            }
        }
        // Read the cut-off before the references: a jar stored after it is young, one referenced after the read was touched.
        var cutOff = clock.instant().minus(config.gracePeriod());
        Set<String> referenced = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select artifact_sha256 from job_versions where artifact_sha256 is not null"
                        + " union select dependency->>'sha256' from job_versions, jsonb_array_elements(dependencies::jsonb) dependency");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                referenced.add(rows.getString(1));
            }
        }
        return Optional.of(ArtifactSweep.sweep(artifacts.root(), referenced, cutOff));
    }
}
