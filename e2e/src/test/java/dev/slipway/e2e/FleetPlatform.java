package dev.slipway.e2e;

import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.Events;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ClusterSpecCreated;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A fleet on one machine: two resource-schedulers and two pod-provisioners on the SIMULATED backend (pods cost no process),
 * clusters created as job-submission would, and their JobManagers played by the fleet driver (loadtests/fleet-driver: the
 * platform's real resource manager driver, thousands per JVM) in a process of its own. {@link #run} kills one scheduler
 * (started again at once) and one provisioner (left dead: the other takes over) with {@code kill -9} while the fleet runs,
 * and stops the broker for a few seconds; {@link FleetAudit} then checks that nothing was lost. Used by {@code FleetTest} (small, in the build) and {@code FleetBenchmark} (large, in loadtests/).
 */
public final class FleetPlatform implements AutoCloseable {

    static final String SECRET = "fleet-secret-of-enough-length";
    static final String OPERATOR = "fleet-operator-token-0123456789";
    private static final int PARTITIONS = 8;
    private static final Duration BROKER_DOWN = Duration.ofSeconds(3);

    /** What a run did: the fleet driver's final line, and the audit. */
    public record Outcome(String driverResult, FleetAudit.Result audit) {
    }

    private final Path repository = Path.of(System.getProperty("slipway.e2e.root", "..")).toAbsolutePath().normalize();
    private final Path work;
    private final Path pods;
    private final EmbeddedKafkaBroker broker;
    private final int[] schedulerPorts = {FreePorts.next(), FreePorts.next()};
    private final int[] provisionerPorts = {FreePorts.next(), FreePorts.next()};
    private final ServiceProcess[] schedulers = new ServiceProcess[2];
    private final ServiceProcess[] provisioners = new ServiceProcess[2];
    private final List<ServiceProcess> started = new ArrayList<>();
    private Thread driverOutput;

    /** {@code pods}: where simulated pods keep their files (tmpfs makes a large fleet cheap). */
    public FleetPlatform(Path work, Path pods) throws IOException {
        this.work = work;
        this.pods = pods;
        Platform.deleteRecursively(work);
        Platform.deleteRecursively(pods);
        Files.createDirectories(work);
        broker = EmbeddedKafkaBroker.onRandomPorts().start();
        TopicSetup.ensure(broker.bootstrapServers(), PARTITIONS, (short) 1);
        // All four at once (each knows the others' ports beforehand), then each awaited: a quarter of the start-up time.
        for (int i = 0; i < 2; i++) {
            schedulers[i] = launchScheduler(i);
            provisioners[i] = launchProvisioner(i);
        }
        for (int i = 0; i < 2; i++) {
            schedulers[i].awaitReady();
            provisioners[i].awaitReady();
        }
    }

    /**
     * Creates {@code clusters} ELASTIC clusters, runs the fleet for {@code seconds} (a tenth of the JobManagers restart at a
     * fifth of it; scheduler 0 is killed at 35 % and started again, provisioner 0 is killed at 60 %, the broker is stopped at
     * 80 % and started again 3 s later), deletes a tenth of the clusters, and audits once everything settled.
     */
    public Outcome run(int clusters, int seconds) throws Exception {
        List<String> ids = createClusters(clusters);
        ClusterTokens tokens = new ClusterTokens(SECRET);
        Path clustersFile = work.resolve("clusters.txt");
        Files.writeString(clustersFile, String.join("\n", ids.stream().map(id -> id + " " + tokens.issue(id)).toList()) + "\n");
        System.out.printf("fleet: %d clusters; %d partitions, 2 schedulers, 2 provisioners (SIMULATED)%n", clusters, PARTITIONS);

        Path driverLog = work.resolve("fleet-driver.log");
        Process driver = fleetDriver(clustersFile, seconds, driverLog);
        long start = System.nanoTime();
        sleepUntil(start, seconds * 0.35);
        schedulers[0].kill();
        System.out.printf("fleet: kill -9 resource-scheduler 0 at %.0f s%n", (System.nanoTime() - start) / 1e9);
        // Started again at once on its port, as a Deployment would: half the JobManagers call it (a Service would route
        // them to the other one meanwhile; the driver retries its calls until this one answers).
        schedulers[0] = launchScheduler(0);
        schedulers[0].awaitReady();
        sleepUntil(start, seconds * 0.6);
        provisioners[0].kill();
        // Not started again: the other provisioner takes its partitions over, and their pods with the shared directory.
        System.out.printf("fleet: kill -9 pod-provisioner 0 at %.0f s%n", (System.nanoTime() - start) / 1e9);
        sleepUntil(start, seconds * 0.8);
        // The broker goes away and comes back on the same ports with its data, as a broker pod restarting: every client
        // of every service must find it again, and whatever was asked meanwhile must still be answered.
        broker.stop();
        System.out.printf("fleet: broker stopped at %.0f s%n", (System.nanoTime() - start) / 1e9);
        Thread.sleep(BROKER_DOWN.toMillis());
        broker.start();
        System.out.printf("fleet: broker started again at %.0f s%n", (System.nanoTime() - start) / 1e9);

        int exit = driver.waitFor();
        driverOutput.join(10_000);
        String result;
        try (Stream<String> lines = Files.lines(driverLog)) {
            result = lines.filter(line -> line.startsWith("FLEET RESULT")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the fleet driver (exit " + exit + ") gave no result; see " + driverLog));
        }
        List<String> deleted = ids.subList(0, Math.max(1, ids.size() / 10));
        deleteClusters(deleted);
        FleetAudit.Result audit = new FleetAudit(broker.bootstrapServers(), schedulers[1].url(), OPERATOR)
                .settleAndCheck(ids, deleted, Duration.ofSeconds(120));
        return new Outcome(result, audit);
    }

    private ServiceProcess launchScheduler(int index) throws IOException {
        ServiceProcess scheduler = ServiceProcess.launch("resource-scheduler-" + index,
                repository.resolve("services/resource-scheduler/target/quarkus-app"), schedulerPorts[index],
                Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                        "slipway.scheduler.cluster-token-secret", SECRET,
                        "slipway.scheduler.operator-token", OPERATOR,
                        "slipway.scheduler.instance-id", "scheduler-" + index,
                        "slipway.scheduler.topic-partitions", Integer.toString(PARTITIONS)), work);
        started.add(scheduler);
        return scheduler;
    }

    private ServiceProcess launchProvisioner(int index) throws IOException {
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("slipway.provisioner.cluster-token-secret", SECRET);
        settings.put("slipway.provisioner.operator-token", OPERATOR);
        settings.put("slipway.provisioner.scheduler-url", "http://127.0.0.1:" + schedulerPorts[1]);
        settings.put("slipway.provisioner.topic-partitions", Integer.toString(PARTITIONS));
        settings.put("slipway.provisioner.backend", "SIMULATED");
        settings.put("slipway.provisioner.simulated.root", pods.toString());
        settings.put("slipway.provisioner.simulated.ready-delay-median", "2s");
        settings.put("slipway.provisioner.simulated.ready-delay-p99", "8s");
        settings.put("slipway.provisioner.high-availability.type", "NONE");
        settings.put("quarkus.log.category.\"dev.slipway.provisioner\".level", "WARN");
        // A killed provisioner's partitions move to the other once its session ends: 10 s here, not Kafka's 45 s default.
        settings.put("mp.messaging.incoming.decisions.session.timeout.ms", "10000");
        ServiceProcess provisioner = ServiceProcess.launch("pod-provisioner-" + index,
                repository.resolve("services/pod-provisioner/target/quarkus-app"), provisionerPorts[index], settings, work);
        started.add(provisioner);
        return provisioner;
    }

    private List<String> createClusters(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
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

    private void deleteClusters(List<String> ids) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (String id : ids) {
                producer.send(EventRecords.toRecord(new ClusterDeleted(Events.deterministicId(id, "deleted"), id, Instant.now(), 2),
                        EventSources.JOB_SUBMISSION, null));
            }
            producer.flush();
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(KafkaClientProperties.idempotentProducer(broker.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer());
    }

    private Process fleetDriver(Path clustersFile, int seconds, Path log) throws IOException {
        Path module = repository.resolve("loadtests/fleet-driver/target");
        if (!Files.exists(module.resolve("classpath"))) {
            throw new IllegalStateException(module.resolve("classpath") + " is missing: build it first (./mvnw -B install -DskipTests)");
        }
        String classpath = module.resolve("classes") + ":" + Files.readString(module.resolve("classpath")).trim();
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g",
                // The resource managers' warnings (calls that failed and are retried) into the driver's log; not each INFO.
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.showDateTime=true", "-cp", classpath,
                "dev.slipway.fleet.FleetDriverMain", "--scheduler", schedulers[0].url() + "," + schedulers[1].url(),
                "--clusters-file", clustersFile.toString(), "--duration", Integer.toString(seconds),
                "--restart-at", Double.toString(seconds * 0.2), "--restart-share", "0.1", "--hold", "15", "--quiet", "10",
                "--task-managers", "5");
        // The driver's output goes to its log and, line by line, here: progress of a long run shows as it happens.
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread copy = new Thread(() -> {
            try (var lines = process.inputReader().lines(); var out = Files.newBufferedWriter(log)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    if (line.startsWith("fleet") || line.startsWith("FLEET")) {
                        System.out.println(line);
                    }
                }
            } catch (IOException e) {
                System.out.println("fleet: lost the driver's output: " + e.getMessage());
            }
        }, "fleet-driver-output");
        copy.setDaemon(true);
        copy.start();
        driverOutput = copy;
        return process;
    }

    private static void sleepUntil(long fromNanos, double seconds) throws InterruptedException {
        long until = fromNanos + (long) (seconds * 1e9);
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(200, left / 1_000_000 + 1));
        }
    }

    @Override
    public void close() {
        started.forEach(ServiceProcess::close);
        broker.close();
    }
}
