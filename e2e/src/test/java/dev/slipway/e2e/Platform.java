package dev.slipway.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.Events;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.credentials.TokensRevoked;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.messaging.TopicSetup;
import dev.slipway.testkit.EmbeddedKafkaBroker;
import dev.slipway.testkit.EmbeddedZooKeeperServer;
import dev.slipway.testkit.FreePorts;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The platform on this machine for a test: the embedded broker in the test JVM, the resource-scheduler
 * and the pod-provisioner (local backend) as their packaged applications. Clusters are created the way
 * job-submission creates them: by publishing their spec.
 */
public final class Platform implements AutoCloseable {

    public static final String SECRET = "e2e-secret-of-enough-length";
    /** The platform operator's token: reads across clusters (the provisioner's list of every local pod). */
    static final String OPERATOR_TOKEN = "e2e-operator-token-0123456789";

    public final Path repository = Path.of(System.getProperty("slipway.e2e.root", "..")).toAbsolutePath().normalize();
    public final Path work;
    public final EmbeddedKafkaBroker broker;
    /** Flink's high availability: every cluster's JobManagers elect their leader and keep their jobs here. */
    public final EmbeddedZooKeeperServer zooKeeper;
    public final ServiceProcess scheduler;
    public final ServiceProcess provisioner;
    private final KafkaProducer<String, byte[]> producer;
    private final ClusterTokens tokens = new ClusterTokens(SECRET);
    /** Clusters created through this platform and not deleted yet. */
    private final Set<String> clusters = ConcurrentHashMap.newKeySet();
    /** Each cluster's token generation, raised by {@link #revokeTokens}. */
    private final Map<String, Long> tokenGenerations = new ConcurrentHashMap<>();
    private static Platform shared;

    /**
     * One platform for every test class that needs nothing special of it, started on first use and stopped when the test
     * JVM exits: each test (or class) deletes the clusters it made when it is done ({@link #deleteClusters()}).
     */
    public static synchronized Platform shared() throws IOException {
        if (shared == null) {
            Platform platform = new Platform("shared");
            Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "stop-shared-platform"));
            shared = platform;
        }
        return shared;
    }

    public Platform(String name) throws IOException {
        this(name, Map.of());
    }

    /** {@code provisionerSettings}: more configuration of the pod-provisioner, or other values (an object store, say). */
    public Platform(String name, Map<String, String> provisionerSettings) throws IOException {
        work = Path.of(System.getProperty("slipway.e2e.work", "target/e2e")).resolve(name);
        deleteRecursively(work);
        Files.createDirectories(work);
        broker = EmbeddedKafkaBroker.onRandomPorts().start();
        zooKeeper = EmbeddedZooKeeperServer.at(work.resolve("zookeeper"), 0).start();
        TopicSetup.ensure(broker.bootstrapServers(), 2, (short) 1);
        producer = new KafkaProducer<>(KafkaClientProperties.idempotentProducer(broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
        int schedulerPort = FreePorts.next();
        scheduler = ServiceProcess.start("resource-scheduler", repository.resolve("services/resource-scheduler/target/quarkus-app"),
                schedulerPort, Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                        "slipway.scheduler.cluster-token-secret", SECRET,
                        "slipway.scheduler.tick-interval", "1s",
                        "slipway.scheduler.topic-partitions", "2"), work);
        Map<String, String> provisionerConfiguration = new HashMap<>(Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                "slipway.provisioner.cluster-token-secret", SECRET,
                "slipway.provisioner.operator-token", OPERATOR_TOKEN,
                "slipway.provisioner.scheduler-url", scheduler.url(),
                "slipway.provisioner.topic-partitions", "2",
                "slipway.provisioner.local.root", podsRoot().toString(),
                // One archive per Flink build for every platform of the run (and the next run of this checkout).
                "slipway.provisioner.local.class-data-directory", work.resolveSibling("class-data").toAbsolutePath().toString(),
                "slipway.provisioner.high-availability.zookeeper-quorum", zooKeeper.connectString(),
                "slipway.provisioner.high-availability.storage-dir", highAvailabilityRoot().toUri().toString(),
                "slipway.provisioner.local.distributions", repository.resolve("flink").toString()));
        provisionerConfiguration.putAll(provisionerSettings);
        provisioner = ServiceProcess.start("pod-provisioner", repository.resolve("services/pod-provisioner/target/quarkus-app"),
                FreePorts.next(), provisionerConfiguration, work);
    }

    /** Where JobManagers keep their jobs' graphs, jars and checkpoint metadata: {@code <root>/<cluster id>}. */
    public Path highAvailabilityRoot() {
        return work.resolve("ha");
    }

    /** Where the local pod backend keeps each pod's directory, {@code <cluster>/<pod>/} with its Flink log. */
    public Path podsRoot() {
        return work.resolve("pods");
    }

    public void createCluster(String clusterId, ClusterSpec spec) throws ExecutionException, InterruptedException {
        clusters.add(clusterId);
        ClusterSpecCreated created = new ClusterSpecCreated(Events.deterministicId(clusterId, "created"), clusterId, Instant.now(), 1,
                spec);
        producer.send(EventRecords.toRecord(created, EventSources.JOB_SUBMISSION, null)).get();
    }

    /** What job-submission publishes when a tenant revokes the cluster's tokens; later calls here use the new ones. */
    public void revokeTokens(String clusterId, long generation) throws ExecutionException, InterruptedException {
        producer.send(EventRecords.toRecord(new TokensRevoked(Events.deterministicId(clusterId, "revoked", Long.toString(generation)),
                clusterId, Instant.now(), generation, "e2e"), EventSources.JOB_SUBMISSION, null)).get();
        tokenGenerations.put(clusterId, generation);
    }

    /** The cluster's resource-manager token, of its current generation. */
    public String clusterToken(String clusterId) {
        return tokens.issue(clusterId, tokenGenerations.getOrDefault(clusterId, 0L));
    }

    public void deleteCluster(String clusterId) throws ExecutionException, InterruptedException {
        clusters.remove(clusterId);
        producer.send(EventRecords.toRecord(new ClusterDeleted(Events.deterministicId(clusterId, "deleted"), clusterId, Instant.now(), 2),
                EventSources.JOB_SUBMISSION, null)).get();
    }

    /** Deletes every cluster created through this platform and waits until their processes are gone: the next class starts clean. */
    public void deleteClusters() throws ExecutionException, InterruptedException {
        List<String> created = List.copyOf(clusters);
        for (String clusterId : created) {
            deleteCluster(clusterId);
        }
        await("the pods of " + created + " gone").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> localPods().stream().noneMatch(pod -> created.stream().anyMatch(cluster -> pod.startsWith(cluster + "/"))));
    }

    /** The cluster's JobManager REST API, once it answers. */
    public FlinkRest awaitJobManager(String clusterId) {
        String[] url = new String[1];
        await("JobManager of " + clusterId).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            var response = asReader(clusterId).get(provisioner.url() + "/api/v1/clusters/" + clusterId + "/jobmanager");
            if (response.statusCode() != 200) {
                return false;
            }
            url[0] = "http://" + response.path("host") + ":" + response.path("restPort");
            try {
                return given().get(url[0] + "/overview").statusCode() == 200;
            } catch (Exception notYet) {
                // rest-assured throws the connection's IOException unchecked: the JobManager is still starting
                return false;
            }
        });
        return new FlinkRest(url[0]);
    }

    /** The cluster's pods as the scheduler knows them (what Flink's resource manager sees). */
    public JsonPath pods(String clusterId) {
        return given().header("Authorization", "Bearer " + clusterToken(clusterId))
                .get(scheduler.url() + "/api/v1/clusters/" + clusterId + "/pods").then().statusCode(200).extract().jsonPath();
    }

    public List<String> liveTaskManagers(String clusterId) {
        return pods(clusterId).getList("findAll { it.role == 'TASK_MANAGER' && it.status != 'TERMINATING' }.name");
    }

    /** A request with the cluster's reader token (what job-submission shows the cluster's tenant). */
    public RequestSpecification asReader(String clusterId) {
        return given().header("Authorization", "Bearer " + tokens.issueReader(clusterId, tokenGenerations.getOrDefault(clusterId, 0L)));
    }

    /** The cluster's decisions with their reasons, newest first. */
    public JsonPath decisions(String clusterId) {
        return asReader(clusterId).get(scheduler.url() + "/api/v1/clusters/" + clusterId + "/decisions?limit=1000").then().statusCode(200)
                .extract().jsonPath();
    }

    /** Local processes the provisioner runs now, as cluster/pod. */
    public List<String> localPods() {
        return given().header("Authorization", "Bearer " + OPERATOR_TOKEN).get(provisioner.url() + "/api/v1/local/pods").then()
                .statusCode(200).extract().jsonPath().getList("$");
    }

    /** Whether a JobManager pod's dispatcher was granted the lead (its log says so; it keeps it until it dies or loses ZooKeeper). */
    public boolean leads(String clusterId, String podName) {
        Path log = podsRoot().resolve(clusterId).resolve(podName).resolve(podName + ".log");
        try {
            return Files.exists(log) && Files.readString(log).contains("DefaultDispatcherRunner was granted leadership");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The process id of a local pod, from the record the provisioner keeps in the pod's directory. */
    public long pid(String clusterId, String podName) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(podsRoot().resolve(clusterId).resolve(podName).resolve("pod.properties"))) {
            properties.load(in);
        }
        return Long.parseLong(properties.getProperty("pid"));
    }

    public Path exampleJobsJar() {
        try (var jars = Files.list(repository.resolve("flink/example-jobs/target"))) {
            return jars.filter(path -> path.getFileName().toString().matches("slipway-flink-example-jobs-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("build flink/example-jobs first"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        provisioner.close();
        scheduler.close();
        producer.close(Duration.ofSeconds(5));
        broker.close();
        zooKeeper.close();
    }

    /** Deletes {@code directory} and everything in it; a missing one is fine. */
    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
