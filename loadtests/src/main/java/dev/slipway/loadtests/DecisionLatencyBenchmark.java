package dev.slipway.loadtests;

import dev.slipway.contracts.Topics;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.FailurePolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.resources.ResourcesRequested;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import dev.slipway.messaging.TopicSetup;
import dev.slipway.scheduling.replay.Percentiles;
import dev.slipway.testkit.EmbeddedKafkaBroker;
import dev.slipway.testkit.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ObjIntConsumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives simulated JobManagers against a real resource-scheduler process (the packaged Quarkus app)
 * on an embedded broker: resource requests over REST at a fixed rate (at most 256 in flight, like
 * that many JobManagers), each for one TaskManager of one of N clusters. Latency is from the moment
 * the service accepted the request (the {@code occurredAt} it stamped on the ResourcesRequested
 * event) to the ProvisionPod decision being readable by a read_committed consumer (published: its
 * transaction committed), both on this machine's clock. Prints p50, p99, max and the sustained rate.
 *
 * <p>Arguments: path of quarkus-run.jar, rates ("500,5000"), seconds per rate (20), clusters (1000).
 */
public final class DecisionLatencyBenchmark {

    private static final String SECRET = "benchmark-secret-of-enough-length";

    /** The runs by name; request ids are "run-index". */
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private static final int IN_FLIGHT = 256;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final Map<String, String> bearer = new ConcurrentHashMap<>();
    private Process service;

    private DecisionLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        int[] rates = Arrays.stream((args.length > 1 ? args[1] : "500,5000").split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int clusters = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        if (!new File(jar).isFile()) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -B -pl services/resource-scheduler -am install -DskipTests");
        }
        new DecisionLatencyBenchmark().run(jar, rates, seconds, clusters);
    }

    private void run(String jar, int[] rates, int seconds, int clusterCount) throws Exception {
        try (EmbeddedKafkaBroker broker = broker().start()) {
            TopicSetup.ensure(broker.bootstrapServers(), 4, (short) 1);
            int port = FreePorts.next();
            // A fixed 1 GiB heap, so that runs compare (the image sizes it from the container's memory instead).
            List<String> command = new ArrayList<>(List.of("java", "-Xms1g", "-Xmx1g"));
            // The service's own JVM flags, as its image and ./slipway use them (services/resource-scheduler/jvm.options).
            Path options = Path.of(jar).toAbsolutePath().getParent().getParent().getParent().resolve("jvm.options");
            command.add("@" + options);
            // -Dbench.service.jvm="..." adds JVM options to the service (a profiler, a GC), split at spaces.
            String serviceJvm = System.getProperty("bench.service.jvm", "").trim();
            if (!serviceJvm.isEmpty()) {
                command.addAll(Arrays.asList(serviceJvm.split("\\s+")));
            }
            command.addAll(List.of("-Dkafka.bootstrap.servers=" + broker.bootstrapServers(), "-Dquarkus.http.port=" + port,
                    "-Dslipway.scheduler.cluster-token-secret=" + SECRET, "-Dslipway.scheduler.instance-id=bench", "-jar", jar));
            service = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(new File("target/resource-scheduler-benchmark.log")).start();
            Runtime.getRuntime().addShutdownHook(new Thread(service::destroyForcibly, "stop-resource-scheduler"));
            try {
                List<String> clusters = createClusters(broker.bootstrapServers(), clusterCount);
                awaitUp(port);
                DecisionWatcher watcher = watchDecisions(broker.bootstrapServers());
                ClusterTokens tokens = new ClusterTokens(SECRET);
                MachineNotes.print();
                System.out.printf("resource-scheduler up on port %d; %d clusters; target rates %s for %d s each%n",
                        port, clusterCount, Arrays.toString(rates), seconds);
                // One event loop sends and completes every request: the load generator shares the two cores with
                // the broker and the service, so it has to cost as little as it can.
                Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
                HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
                        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
                try {
                    warmUp(http, tokens, clusters, rates[0]);
                    for (int i = 0; i < rates.length; i++) {
                        measure(http, tokens, clusters, rates[i], seconds, "run" + i + "at" + rates[i]);
                    }
                    int topicEvents = Integer.getInteger("bench.topic.events", 0);
                    if (topicEvents > 0) {
                        measureFromTopic(broker.bootstrapServers(), clusters, topicEvents);
                    }
                } finally {
                    vertx.close().toCompletionStage().toCompletableFuture().join();
                }
                watcher.stop();
            } finally {
                service.destroy();
                service.waitFor();
            }
        }
    }

    /** Long enough at the first rate for the JIT to compile the service's and this client's paths (C2 takes ~10k calls). */
    /**
     * -Dbench.broker.dir=DIR puts the broker's logs there (say, on tmpfs). On one disk, the metadata log's fsync
     * (KRaft writes a no-op record every 500 ms) holds up the data logs' appends for tens of milliseconds.
     */
    private static EmbeddedKafkaBroker broker() throws IOException {
        String dir = System.getProperty("bench.broker.dir", "");
        if (dir.isBlank()) {
            return EmbeddedKafkaBroker.onRandomPorts();
        }
        return EmbeddedKafkaBroker.at(Files.createTempDirectory(Path.of(dir), "slipway-benchmark-kafka"), FreePorts.next(), FreePorts.next());
    }

    private void warmUp(HttpClient http, ClusterTokens tokens, List<String> clusters, int rate) throws InterruptedException {
        // Both JVMs keep compiling for about 100 s at 500 req/s on two cores (jstat -compiler); measured earlier, the
        // compiler threads' share of the cores shows up as latency.
        int seconds = Integer.getInteger("bench.warmup.seconds", 120);
        System.out.printf("warming up at %,d req/s for %d s%n", Math.min(rate, 1000), seconds);
        drive(http, tokens, clusters, Math.min(rate, 1000), seconds, "warmup");
        Thread.sleep(2000);
    }

    private void measure(HttpClient http, ClusterTokens tokens, List<String> clusters, int rate, int seconds, String run)
            throws InterruptedException {
        long started = System.nanoTime();
        long serviceCpuBefore = serviceCpuNanos();
        long ownCpuBefore = ownCpuNanos();
        long startedMicros = micros(Instant.now());
        long sent = drive(http, tokens, clusters, rate, seconds, run);
        double sendSeconds = (System.nanoTime() - started) / 1e9;
        long serviceCpu = serviceCpuNanos() - serviceCpuBefore;
        long ownCpu = ownCpuNanos() - ownCpuBefore;
        Run times = runs.get(run);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (times.completed() < sent - failures.get() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        writeCsv(run, times);
        long[] latencies = times.between(times.accepted, times.decided);
        double sustained = latencies.length / Math.max(1e-3, (times.lastDecided(startedMicros) - startedMicros) / 1e6);
        System.out.printf("target %,d req/s: sent %,d in %.1f s (%,.0f req/s), %,d decided, %,d failed; "
                        + "accepted->published p50 %.1f ms, p99 %.1f ms, max %.1f ms; sustained %,.0f decisions/s%n",
                rate, sent, sendSeconds, sent / sendSeconds, latencies.length, failures.get(),
                Percentiles.of(latencies, 50) / 1e3, Percentiles.of(latencies, 99) / 1e3,
                latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e3, sustained);
        // Both processes share the machine's two cores: what each spent while the requests were sent.
        System.out.printf("  cpu while sending: service %.2f cores (%.0f us/request), broker and load generator %.2f cores%n",
                serviceCpu / 1e9 / sendSeconds, serviceCpu / 1e3 / Math.max(1, sent), ownCpu / 1e9 / sendSeconds);
        // Where the time goes, from the records' own timestamps (millisecond grain): the REST call until its event is
        // sent, the event's way through the broker and the decision loop until the decision is sent, the decision's way
        // through the broker to a reader.
        System.out.printf("  stages p50/p99: accepted->request sent %s, request sent->decision sent %s, decision sent->readable %s%n",
                stage(times, times.accepted, times.requestSent), stage(times, times.requestSent, times.decisionSent),
                stage(times, times.decisionSent, times.decided));
    }

    /**
     * -Dbench.topic.events=N: the decision loop fed straight from the topic, without REST. N request events are written
     * to {@code slipway.resources.v1} as fast as one producer can, round-robin over the clusters, and the run lasts until
     * the last of their decisions is readable; what it reports is the loop's rate, from the first event written to the
     * last decision readable, and the service's CPU per event.
     */
    private void measureFromTopic(String bootstrap, List<String> clusters, int events) throws InterruptedException {
        String run = "topic";
        Run times = new Run(events);
        runs.put(run, times);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        long serviceCpuBefore = serviceCpuNanos();
        long started = System.nanoTime();
        long startedMicros = micros(Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                String cluster = clusters.get(i % clusters.size());
                String requestId = run + "-" + i;
                producer.send(EventRecords.toRecord(new ResourcesRequested(UUID.randomUUID().toString(), cluster, Instant.now(),
                        requestId, 1, null), "/loadtests", null));
            }
        }
        double produceSeconds = (System.nanoTime() - started) / 1e9;
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (times.completed() < events && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long serviceCpu = serviceCpuNanos() - serviceCpuBefore;
        double seconds = Math.max(1e-3, (times.lastDecided(startedMicros) - startedMicros) / 1e6);
        long decided = times.completed();
        System.out.printf("from the topic: %,d request events written in %.1f s (%,.0f/s); %,d decided, the last %.1f s after the"
                        + " first event: %,.0f decisions/s; service CPU %.0f us/event (%.2f cores)%n",
                events, produceSeconds, events / produceSeconds, decided, seconds, decided / seconds,
                serviceCpu / 1e3 / Math.max(1, decided), serviceCpu / 1e9 / seconds);
    }

    /** -Dbench.latency.csv=DIR writes each run's requests (accepted, request sent, decision sent, decided; epoch micros). */
    private static void writeCsv(String run, Run times) {
        String dir = System.getProperty("bench.latency.csv");
        if (dir == null || dir.isBlank()) {
            return;
        }
        StringBuilder csv = new StringBuilder("request,accepted,request_sent,decision_sent,decided\n");
        for (int i = 0; i < times.accepted.length(); i++) {
            csv.append(i).append(',').append(times.accepted.get(i)).append(',').append(times.requestSent.get(i)).append(',')
                    .append(times.decisionSent.get(i)).append(',').append(times.decided.get(i)).append('\n');
        }
        try {
            Files.createDirectories(Path.of(dir));
            Files.writeString(Path.of(dir, run + ".csv"), csv);
        } catch (IOException e) {
            System.out.println("cannot write " + run + ".csv: " + e.getMessage());
        }
    }

    private static String stage(Run times, AtomicLongArray from, AtomicLongArray to) {
        long[] micros = times.between(from, to);
        return String.format("%.1f/%.1f ms", Percentiles.of(micros, 50) / 1e3, Percentiles.of(micros, 99) / 1e3);
    }

    /**
     * Epoch micros per request of a run, 0 until seen: when the service accepted it, when it sent the request's event
     * and the decision (the records' own timestamps, millisecond grain), when the decision became readable. Arrays, not
     * maps of request ids: this process holds the broker too, and boxed entries by the hundred thousand would lengthen
     * its GC pauses, which the figures would then show.
     */
    private static final class Run {
        final AtomicLongArray accepted;
        final AtomicLongArray requestSent;
        final AtomicLongArray decisionSent;
        final AtomicLongArray decided;

        Run(int size) {
            accepted = new AtomicLongArray(size);
            requestSent = new AtomicLongArray(size);
            decisionSent = new AtomicLongArray(size);
            decided = new AtomicLongArray(size);
        }

        long completed() {
            long completed = 0;
            for (int i = 0; i < decided.length(); i++) {
                if (decided.get(i) != 0 && accepted.get(i) != 0) {
                    completed++;
                }
            }
            return completed;
        }

        /** When the last decision became readable (epoch micros), and {@code since} if none did after it. */
        long lastDecided(long since) {
            long last = since;
            for (int i = 0; i < decided.length(); i++) {
                last = Math.max(last, decided.get(i));
            }
            return last;
        }

        /** Sorted differences of the requests seen at both points. */
        long[] between(AtomicLongArray from, AtomicLongArray to) {
            return IntStream.range(0, from.length()).filter(i -> from.get(i) != 0 && to.get(i) != 0)
                    .mapToLong(i -> to.get(i) - from.get(i)).sorted().toArray();
        }
    }

    /** Sends requests at {@code rate} per second for {@code seconds}, round-robin over the clusters. */
    private long drive(HttpClient http, ClusterTokens tokens, List<String> clusters, int rate, int seconds, String run)
            throws InterruptedException {
        long total = (long) rate * seconds;
        runs.put(run, new Run(Math.toIntExact(total)));
        FixedRate pace = new FixedRate(rate);
        for (long i = 0; i < total; i++) {
            pace.awaitSlot(i);
            inFlight.acquire();
            String cluster = clusters.get((int) (i % clusters.size()));
            String requestId = run + "-" + i;
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                    .setURI("/api/v1/clusters/" + cluster + "/resource-requests")
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Authorization", bearer.computeIfAbsent(cluster, id -> "Bearer " + tokens.issue(id)));
            http.request(request)
                    .compose(sending -> sending.send("{\"requestId\":\"" + requestId + "\",\"count\":1}"))
                    .compose(response -> response.body().map(body -> response.statusCode()))
                    .onComplete(status -> {
                        inFlight.release();
                        if (status.failed() || status.result() != 202) {
                            failures.incrementAndGet();
                        }
                    });
        }
        return total;
    }

    /** The reader that timestamps decisions; stop() wakes its poll and waits for it to close the consumer. */
    private record DecisionWatcher(Thread thread, KafkaConsumer<String, byte[]> consumer) {
        void stop() throws InterruptedException {
            consumer.wakeup();
            thread.join(Duration.ofSeconds(30).toMillis());
        }
    }

    private DecisionWatcher watchDecisions(String bootstrap) {
        Properties props = KafkaClientProperties.committedReader(bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        // Fetch often, so the measuring reader's own wait adds little (5 ms at most) to the latency it reports.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        CountDownLatch assigned = new CountDownLatch(1);
        consumer.subscribe(List.of(Topics.DECISIONS, Topics.RESOURCES), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assigned.countDown();
            }
        });
        Thread thread = new Thread(() -> {
            try (consumer) {
                while (true) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                        long now = micros(Instant.now());
                        if (record.topic().equals(Topics.RESOURCES)) {
                            if (EventRecords.decode(record, ResourceEvent.class) instanceof DecodeResult.Decoded<ResourceEvent> event
                                    && event.event() instanceof ResourcesRequested requested) {
                                record(requested.requestId(), (run, index) -> {
                                    run.accepted.set(index, micros(requested.occurredAt()));
                                    run.requestSent.set(index, record.timestamp() * 1000);
                                });
                            }
                        } else if (EventRecords.decode(record, Decision.class) instanceof DecodeResult.Decoded<Decision> decoded
                                && decoded.event() instanceof ProvisionPod provision && provision.requestId() != null) {
                            record(provision.requestId(), (run, index) -> {
                                run.decisionSent.set(index, record.timestamp() * 1000);
                                run.decided.set(index, now);
                            });
                        }
                    }
                }
            } catch (WakeupException e) {
                // stop(): the run is over
            }
        }, "decision-watcher");
        thread.setDaemon(true);
        thread.start();
        // Let the consumer join (and "latest" settle on its positions) before requests flow, so it skips none.
        try {
            if (!assigned.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the decision watcher got no partitions within 60 s; is the broker up?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new DecisionWatcher(thread, consumer);
    }

    private void record(String requestId, ObjIntConsumer<Run> write) {
        int dash = requestId.lastIndexOf('-');
        Run run = dash < 0 ? null : runs.get(requestId.substring(0, dash));
        if (run != null) {
            write.accept(run, Integer.parseInt(requestId.substring(dash + 1)));
        }
    }

    private static List<String> createClusters(String bootstrap, int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<String> clusters = new ArrayList<>();
        ClusterSpec spec = new ClusterSpec("bench", "bench", ClusterMode.ELASTIC, "2.2.0", new ProcessSize(1, 1600, 0), 1,
                new ProcessSize(1, 1024, 0), 1, 0, new ElasticPolicy(0, 100_000, 300), 0, new FailurePolicy(3600, 3, 10, 300),
                NetworkProfile.POD_NETWORK, Map.of());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                String cluster = String.format("bench-%05d", i);
                clusters.add(cluster);
                producer.send(EventRecords.toRecord(new ClusterSpecCreated(UUID.randomUUID().toString(), cluster, Instant.now(), 1, spec),
                        "/loadtests", null));
            }
        }
        return clusters;
    }

    private static void awaitUp(int port) throws InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("resource-scheduler did not become ready in 60 s; see target/resource-scheduler-benchmark.log");
    }

    private long serviceCpuNanos() {
        return service.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    }

}
