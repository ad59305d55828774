package dev.slipway.provisioner;

import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.messaging.CredentialTable;
import dev.slipway.messaging.TopicSetup;
import dev.slipway.provisioner.config.ProvisionerConfig;
import dev.slipway.provisioner.local.FlinkDistributions;
import dev.slipway.provisioner.local.LocalBackendSettings;
import dev.slipway.provisioner.local.LocalProcessBackend;
import dev.slipway.provisioner.messaging.DecisionApplier;
import dev.slipway.provisioner.messaging.FactPublisher;
import dev.slipway.provisioner.simulated.ExecutorSimulationTimer;
import dev.slipway.provisioner.simulated.SimulatedPodBackend;
import dev.slipway.provisioner.simulated.SimulationSettings;
import dev.slipway.provisioning.HighAvailability;
import dev.slipway.provisioning.MetricsShipping;
import dev.slipway.provisioning.ObjectStorage;
import dev.slipway.provisioning.PodBackend;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the chosen pod backend, which reports to the fact publisher (a channel SmallRye runs), and hands the backend to the
 * decision applier; stops them in reverse.
 */
@ApplicationScoped
public class ProvisionerRuntime {

    private static final Logger LOG = Logger.getLogger(ProvisionerRuntime.class);

    private final String bootstrapServers;
    private final ProvisionerConfig config;
    private final Instance<KubernetesBackendFactory> kubernetes;
    private final DecisionApplier applier;
    private final CredentialTable credentials;
    private final FactPublisher facts;
    private volatile PodBackend backend;

    public ProvisionerRuntime(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ProvisionerConfig config,
            Instance<KubernetesBackendFactory> kubernetes, FactPublisher facts, DecisionApplier applier) {
        this.facts = facts;
        this.applier = applier;
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.kubernetes = kubernetes;
        this.credentials = new CredentialTable(bootstrapServers);
    }

    void start(@Observes StartupEvent startup) {
        TopicSetup.ensure(bootstrapServers, config.topicPartitions(), config.topicReplicationFactor());
        ClusterTokens tokens = new ClusterTokens(config.clusterTokenSecret());
        // A JobManager gets its cluster's current token: the revocations are read before the first pod is made.
        credentials.onRevoked((clusterId, generation) -> {
            PodBackend current = backend;
            if (current != null) {
                current.tokensRevoked(clusterId);
            }
        });
        awaitCredentials();
        Function<String, String> clusterToken = clusterId -> tokens.issue(clusterId, credentials.minimum(clusterId));
        // Metric shipping and high availability are settings of real Flink processes: a simulated pod has none.
        backend = switch (config.backend()) {
            case LOCAL -> localBackend(clusterToken, metricsShipping(), highAvailability());
            case KUBERNETES -> kubernetes.get().create(config, clusterToken, metricsShipping(), highAvailability());
            case SIMULATED -> simulatedBackend();
        };
        backend.start(facts);
        applier.applyWith(backend);
        LOG.infof("pod-provisioner applying decisions with the %s backend, group %s on %s", config.backend(), config.consumerGroup(),
                bootstrapServers);
    }

    private void awaitCredentials() {
        credentials.start();
        try {
            if (!credentials.awaitLoaded(Duration.ofSeconds(60))) {
                throw new IllegalStateException("could not read the revoked cluster tokens from " + bootstrapServers
                        + " within 60 s: check that Kafka is reachable and the topic exists");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the revoked cluster tokens", e);
        }
    }

    /** Where Flink pods ship their metrics: this service's own Kafka unless configured otherwise; null when switched off. */
    private MetricsShipping metricsShipping() {
        ProvisionerConfig.Metrics metrics = config.metrics();
        if (!metrics.enabled()) {
            return null;
        }
        return new MetricsShipping(metrics.bootstrapServers().orElse(bootstrapServers), metrics.interval());
    }

    /**
     * How clusters get Flink's high availability; null when it is switched off here (every JobManager then runs without it,
     * and job-submission restarts a lost job from its newest checkpoint).
     */
    private HighAvailability highAvailability() {
        ProvisionerConfig.HighAvailability ha = config.highAvailability();
        if (ha.type() == ProvisionerConfig.HighAvailability.Type.NONE) {
            LOG.warn("high availability is off (slipway.provisioner.high-availability.type=NONE): a JobManager that dies takes its"
                    + " jobs with it, and job-submission restarts them from their newest checkpoint");
            return null;
        }
        if (ha.type() == ProvisionerConfig.HighAvailability.Type.KUBERNETES) {
            if (config.backend() != ProvisionerConfig.Backend.KUBERNETES) {
                throw new IllegalStateException("slipway.provisioner.high-availability.type=KUBERNETES needs the KUBERNETES backend;"
                        + " use ZOOKEEPER with the LOCAL backend");
            }
            String storage = ha.storageDir().orElseThrow(() -> new IllegalStateException("Kubernetes high availability needs"
                    + " storage every JobManager pod reaches: set slipway.provisioner.high-availability.storage-dir (e.g."
                    + " s3://bucket/slipway/ha)"));
            return HighAvailability.kubernetes(storage, null); // the Kubernetes backend names the namespace it runs pods in
        }
        boolean local = config.backend() == ProvisionerConfig.Backend.LOCAL;
        if (!local && (ha.zookeeperQuorum().isEmpty() || ha.storageDir().isEmpty())) {
            throw new IllegalStateException("ZooKeeper high availability on Kubernetes needs the ensemble as the pods reach it and"
                    + " storage every JobManager pod reaches: set slipway.provisioner.high-availability.zookeeper-quorum and"
                    + " .storage-dir (deploy/k8s sets both), or slipway.provisioner.high-availability.type=KUBERNETES");
        }
        String quorum = ha.zookeeperQuorum().orElse("127.0.0.1:2181");
        String storage = ha.storageDir().orElseGet(() -> Path.of(config.local().root()).toAbsolutePath().normalize()
                .resolveSibling("ha").toUri().toString());
        LOG.infof("high availability through ZooKeeper at %s, storage %s", quorum, storage);
        return HighAvailability.zooKeeper(quorum, storage);
    }

    private ObjectStorage objectStorage() {
        ProvisionerConfig.ObjectStorage storage = config.objectStorage();
        if (storage.accessKey().isPresent() != storage.secretKey().isPresent()) {
            throw new IllegalStateException("slipway.provisioner.object-storage.access-key and .secret-key go together: set both,"
                    + " or neither for the pods' own identity");
        }
        return new ObjectStorage(storage.endpoint().orElse(null), storage.pathStyleAccess(), storage.accessKey().orElse(null),
                storage.secretKey().orElse(null));
    }

    private LocalProcessBackend localBackend(Function<String, String> clusterToken, MetricsShipping metrics,
            HighAvailability highAvailability) {
        ProvisionerConfig.Local local = config.local();
        Path root = Path.of(local.root()).toAbsolutePath();
        Path classDataArchives = local.classDataSharing()
                ? local.classDataDirectory().map(Path::of).orElseGet(() -> root.resolveSibling("class-data")).toAbsolutePath()
                : null;
        LocalBackendSettings settings = new LocalBackendSettings(root,
                new FlinkDistributions(Path.of(local.distributions()).toAbsolutePath()),
                local.java().orElseGet(LocalBackendSettings::currentJava), local.host(), config.schedulerUrl(), clusterToken,
                local.stopGrace(), metrics, highAvailability, objectStorage(), classDataArchives, local.jvmOptions());
        return new LocalProcessBackend(settings, Clock.systemUTC());
    }

    private SimulatedPodBackend simulatedBackend() {
        ProvisionerConfig.Simulated simulated = config.simulated();
        SimulationSettings settings = new SimulationSettings(Path.of(simulated.root()).toAbsolutePath(), simulated.nodes(),
                simulated.podsPerNode(), simulated.readyDelayMedian(), simulated.readyDelayP99(),
                simulated.startFailureProbability(), simulated.oomKillsPerPodHour(), simulated.evictionsPerPodHour(),
                simulated.terminationDelay(), simulated.seed());
        LOG.warnf("SIMULATED backend: no Flink process runs, pods are simulated under %s (a test and capacity-planning tool)",
                settings.root());
        Clock clock = Clock.systemUTC();
        return new SimulatedPodBackend(settings, clock, new ExecutorSimulationTimer(clock));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        applier.stopApplying();
        if (backend != null) {
            backend.close();
        }
        credentials.close();
    }

    /** Each cluster's lowest token generation still valid. */
    public CredentialTable credentials() {
        return credentials;
    }

    public Optional<LocalProcessBackend> local() {
        return backend instanceof LocalProcessBackend local ? Optional.of(local) : Optional.empty();
    }

    public boolean started() {
        return applier.applying();
    }
}
