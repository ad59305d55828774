package dev.slipway.loadtests;

import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.Events;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.e2e.ServiceProcess;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.messaging.TopicSetup;
import dev.slipway.testkit.EmbeddedKafkaBroker;
import dev.slipway.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A fleet on one machine: two resource-schedulers and two pod-provisioners on the SIMULATED backend, thousands of clusters
 * whose JobManagers are the fleet driver's (the platform's real resource manager driver, in a process of its own), demand in
 * bursts with a share of the JobManagers restarting at once, and {@code kill -9} of one scheduler and one provisioner while
 * it runs. After it settles, {@link FleetAudit} checks from the topics and the schedulers that nothing was lost.
 *
 * <p>Run: {@code ./mvnw -B install -DskipTests && ./mvnw -B -pl loadtests exec:exec@fleet [-Dbench.fleet.clusters=2000]
 * [-Dbench.fleet.seconds=120]}
 */
public final class FleetBenchmark {

    static final String SECRET = "fleet-secret-of-enough-length";
    static final String OPERATOR = "fleet-operator-token-0123456789";
    private static final int PARTITIONS = 8;
    private static final Path SIMULATED_ROOT = Path.of("/dev/shm/slipway-fleet-pods");

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        Path repository = Path.of(System.getProperty("slipway.e2e.root", "..")).toAbsolutePath().normalize();
        Path work = Path.of(System.getProperty("slipway.e2e.work", "target/fleet")).toAbsolutePath();
        MachineNotes.print();
        deleteRecursively(SIMULATED_ROOT);
        List<ServiceProcess> started = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onRandomPorts().start()) {
            TopicSetup.ensure(broker.bootstrapServers(), PARTITIONS, (short) 1);
            int[] schedulerPorts = {FreePorts.next(), FreePorts.next()};
            int[] provisionerPorts = {FreePorts.next(), FreePorts.next()};
            ServiceProcess[] schedulers = new ServiceProcess[2];
            ServiceProcess[] provisioners = new ServiceProcess[2];
            for (int i = 0; i < 2; i++) {
                schedulers[i] = scheduler(repository, work, broker, schedulerPorts[i], i);
                started.add(schedulers[i]);
            }
            for (int i = 0; i < 2; i++) {
                provisioners[i] = provisioner(repository, work, broker, provisionerPorts[i], i, schedulers[0].url());
                started.add(provisioners[i]);
            }
            List<String> ids = createClusters(broker, clusters);
            Path clustersFile = work.resolve("clusters.txt");
            ClusterTokens tokens = new ClusterTokens(SECRET);
            Files.writeString(clustersFile, String.join("\n", ids.stream().map(id -> id + " " + tokens.issue(id)).toList()) + "\n");
            System.out.printf("fleet: %d clusters created; %d partitions, 2 schedulers, 2 provisioners (SIMULATED)%n", clusters, PARTITIONS);

            Process driver = fleetDriver(repository, work, clustersFile, schedulers, seconds);
            long start = System.nanoTime();
            // kill -9 of one scheduler, then of one provisioner, each started again on its port a few seconds later.
            sleepUntil(start, seconds * 0.35);
            long killed = System.nanoTime();
            schedulers[0].kill();
            System.out.printf("fleet: kill -9 resource-scheduler 0 at %.0f s%n", (killed - start) / 1e9);
            sleepUntil(killed, 5);
            schedulers[0] = scheduler(repository, work, broker, schedulerPorts[0], 0);
            started.add(schedulers[0]);
            sleepUntil(start, seconds * 0.6);
            provisioners[0].kill();
            System.out.printf("fleet: kill -9 pod-provisioner 0 at %.0f s%n", (System.nanoTime() - start) / 1e9);
            sleepUntil(System.nanoTime(), 5);
            provisioners[0] = provisioner(repository, work, broker, provisionerPorts[0], 0, schedulers[1].url());
            started.add(provisioners[0]);

            int exit = driver.waitFor();
            System.out.println("fleet: the driver exited with " + exit);
            // A tenth of the clusters is deleted: none of their pods may stay.
            List<String> deleted = ids.subList(0, Math.max(1, ids.size() / 10));
            deleteClusters(broker, deleted);
            FleetAudit.Result audit = new FleetAudit(broker.bootstrapServers(), schedulers[1].url(), OPERATOR)
                    .settleAndCheck(ids, deleted, Duration.ofSeconds(120));
            System.out.println("FLEET AUDIT " + audit);
        } finally {
            started.forEach(ServiceProcess::close);
        }
    }

    private static ServiceProcess scheduler(Path repository, Path work, EmbeddedKafkaBroker broker, int port, int index) throws IOException {
        return ServiceProcess.start("resource-scheduler-" + index, repository.resolve("services/resource-scheduler/target/quarkus-app"),
                port, Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                        "slipway.scheduler.cluster-token-secret", SECRET,
                        "slipway.scheduler.operator-token", OPERATOR,
                        "slipway.scheduler.instance-id", "scheduler-" + index,
                        "slipway.scheduler.topic-partitions", Integer.toString(PARTITIONS)), work);
    }

    private static ServiceProcess provisioner(Path repository, Path work, EmbeddedKafkaBroker broker, int port, int index,
            String schedulerUrl) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("slipway.provisioner.cluster-token-secret", SECRET);
        settings.put("slipway.provisioner.operator-token", OPERATOR);
        settings.put("slipway.provisioner.scheduler-url", schedulerUrl);
        settings.put("slipway.provisioner.topic-partitions", Integer.toString(PARTITIONS));
        settings.put("slipway.provisioner.backend", "SIMULATED");
        // On tmpfs: creating a file per pod is most of the simulated backend's cost on a disk.
        settings.put("slipway.provisioner.simulated.root", SIMULATED_ROOT.toString());
        settings.put("slipway.provisioner.simulated.ready-delay-median", "2s");
        settings.put("slipway.provisioner.simulated.ready-delay-p99", "8s");
        settings.put("slipway.provisioner.high-availability.type", "NONE");
        settings.put("quarkus.log.category.\"dev.slipway.provisioner\".level", "WARN");
        return ServiceProcess.start("pod-provisioner-" + index, repository.resolve("services/pod-provisioner/target/quarkus-app"),
                port, settings, work);
    }

    private static List<String> createClusters(EmbeddedKafkaBroker broker, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientProperties.idempotentProducer(broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String id = String.format("fleet-%05d", i);
                ids.add(id);
                ClusterSpec spec = new ClusterSpec(id, "fleet", ClusterMode.ELASTIC, "2.2.0", new ProcessSize(1, 1024, 0), 1,
                        new ProcessSize(1, 1024, 0), 1, 0, new ElasticPolicy(0, 10, 30), 0, null, null, Map.of());
                sent.add(producer.send(EventRecords.toRecord(new ClusterSpecCreated(Events.deterministicId(id, "created"), id,
                        Instant.now(), 1, spec), EventSources.JOB_SUBMISSION, null)));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        }
        return ids;
    }

    private static void deleteClusters(EmbeddedKafkaBroker broker, List<String> ids) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClientProperties.idempotentProducer(broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (String id : ids) {
                producer.send(EventRecords.toRecord(new ClusterDeleted(Events.deterministicId(id, "deleted"), id, Instant.now(), 2),
                        EventSources.JOB_SUBMISSION, null));
            }
            producer.flush();
        }
    }

    private static Process fleetDriver(Path repository, Path work, Path clustersFile, ServiceProcess[] schedulers, int seconds)
            throws IOException {
        Path module = repository.resolve("loadtests/fleet-driver/target");
        String classpath = module.resolve("classes") + ":" + Files.readString(module.resolve("classpath")).trim();
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g", "-cp", classpath,
                "dev.slipway.fleet.FleetDriverMain", "--scheduler", schedulers[0].url() + "," + schedulers[1].url(),
                "--clusters-file", clustersFile.toString(), "--duration", Integer.toString(seconds),
                "--restart-at", Double.toString(seconds * 0.2), "--restart-share", "0.1", "--hold", "15", "--quiet", "10",
                "--task-managers", "5");
        return new ProcessBuilder(command).inheritIO().start();
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void sleepUntil(long fromNanos, double seconds) throws InterruptedException {
        long until = fromNanos + (long) (seconds * 1e9);
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(200, left / 1_000_000 + 1));
        }
    }
}
