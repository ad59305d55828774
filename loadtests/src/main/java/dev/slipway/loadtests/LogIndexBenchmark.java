package dev.slipway.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.TopicSetup;
import dev.slipway.scheduling.replay.Percentiles;
import dev.slipway.testkit.EmbeddedKafkaBroker;
import dev.slipway.testkit.FreePorts;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Lines per second from Kafka (and, with {@code -Dbench.logs.files}, from file) to searchable, and search latency
 * over the index that leaves, with the packaged log-metric-indexer (and the log agent) as their own processes and
 * the broker in this JVM (all on this machine).
 * <ol>
 * <li>warm-up: {@code -Dbench.logs.warmup} lines (1,000,000) with the indexer running, not measured;</li>
 * <li>live: the indexer runs while {@code liveLines} LogRecords are produced; from the first send to
 * the moment the search API counts them all;</li>
 * <li>drain: the indexer is stopped, {@code drainLines} more are produced, the indexer is started; from
 * its launch (JVM start included) to all of them searchable;</li>
 * <li>files ({@code -Dbench.logs.files} lines, 0 skips it): written into pods' log files, then the log agent is
 * launched; from its launch to all of them searchable, see {@link #fromFiles};</li>
 * <li>search: {@code queries} searches of several kinds over the whole index, p50 and p99.</li>
 * </ol>
 * Args: jar liveLines drainLines queries.
 */
public final class LogIndexBenchmark {

    /** The indexer under test reads across clusters for this operator token only. */
    private static final String OPERATOR_TOKEN = "log-index-benchmark-operator";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Flink's log4j timestamp; the agent is told the files are in UTC. */
    private static final DateTimeFormatter FLINK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneOffset.UTC);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final LogLines lines = new LogLines();
    /** Search parameters; the lines have their own. */
    private final SplittableRandom random = new SplittableRandom(7);
    private int port;

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        if (!new File(jar).isFile()) {
            throw new IllegalStateException(jar + " is missing: build it with ./mvnw -B -pl services/log-metric-indexer -am install -DskipTests");
        }
        new LogIndexBenchmark().run(jar, Long.parseLong(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
    }

    private void run(String jar, long liveLines, long drainLines, int queries) throws Exception {
        Path data = Path.of("target/log-index-benchmark");
        delete(data);
        // Warm-up lines go first, with the indexer running, so the live figure is the JIT-compiled indexer's (a cold JVM
        // spends a third of its CPU compiling for the first minute on two cores).
        long warmupLines = Long.getLong("bench.logs.warmup", 1_000_000);
        long fileLines = Long.getLong("bench.logs.files", 0);
        long total = warmupLines + liveLines + drainLines + fileLines;
        Instant first = Instant.now().minus(Duration.ofHours(3));
        long spacingNanos = Duration.ofHours(3).toNanos() / Math.max(1, total);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onRandomPorts().start()) {
            TopicSetup.ensure(broker.bootstrapServers(), 4, (short) 1);
            port = FreePorts.next();
            MachineNotes.print();
            System.out.printf("%d lines to warm up, %d lines live, then %d lines drained, over 3 h of log time (%d clusters, %d pods each); "
                    + "%d queries%n", warmupLines, liveLines, drainLines, LogLines.CLUSTERS, LogLines.PODS, queries);

            Process indexer = launch(jar, broker.bootstrapServers(), data);
            awaitUp();
            if (warmupLines > 0) {
                long warmupStart = System.nanoTime();
                produce(broker.bootstrapServers(), 0, warmupLines, first, spacingNanos);
                awaitSearchable(warmupLines);
                System.out.printf("warm-up: %,d lines searchable after %.1f s%n", warmupLines, (System.nanoTime() - warmupStart) / 1e9);
            }
            long start = System.nanoTime();
            double produceSeconds = produce(broker.bootstrapServers(), warmupLines, liveLines, first, spacingNanos);
            awaitSearchable(warmupLines + liveLines);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("live:  %,d lines produced in %.1f s (%,.0f/s); all searchable after %.1f s: %,.0f lines/s%n",
                    liveLines, produceSeconds, liveLines / produceSeconds, seconds, liveLines / seconds);
            stop(indexer);

            if (drainLines > 0) {
                double preload = produce(broker.bootstrapServers(), warmupLines + liveLines, drainLines, first, spacingNanos);
                System.out.printf("drain: %,d lines produced with the indexer stopped in %.1f s (%,.0f/s)%n", drainLines, preload,
                        drainLines / preload);
                long launched = System.nanoTime();
                indexer = launch(jar, broker.bootstrapServers(), data);
                awaitUp();
                awaitSearchable(total - fileLines);
                double drain = (System.nanoTime() - launched) / 1e9;
                System.out.printf("drain: all %,d searchable %.1f s after the indexer's launch (JVM start included): %,.0f lines/s%n",
                        total - fileLines, drain, drainLines / drain);
            } else {
                indexer = launch(jar, broker.bootstrapServers(), data);
                awaitUp();
                awaitSearchable(total - fileLines);
            }
            try {
                if (fileLines > 0) {
                    fromFiles(broker.bootstrapServers(), total - fileLines, fileLines, first, spacingNanos);
                }
                System.out.printf("index: %s%n", get("/api/v1/logs/partitions"));
                searchLatency(queries);
            } finally {
                stop(indexer);
            }
        }
    }

    private Process launch(String jar, String bootstrap, Path data) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Dquarkus.http.port=" + port, "-Dslipway.indexer.data-dir=" + data.toAbsolutePath(),
                "-Dslipway.indexer.logs.retention=30d", "-Dslipway.indexer.operator-token=" + OPERATOR_TOKEN,
                "-Dslipway.indexer.cluster-token-secret=log-index-benchmark-secret"));
        // Extra settings of the indexer under test, e.g. -Dslipway.indexer.logs.refresh-interval=1s
        String options = System.getProperty("bench.indexer.options", "").trim();
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar));
        System.out.printf("indexer: %s%n", String.join(" ", command.subList(1, command.size() - 2)));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/log-index-benchmark.log")))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-indexer"));
        return process;
    }

    /**
     * From file to searchable, the whole way: the lines are written into the pods' log files in Flink's layout (stack
     * traces as continuation lines) while nothing reads them, then the node log agent (its own JVM, as shipped) is
     * launched, tails, parses and ships them, and the running indexer indexes them. From the agent's launch (JVM start
     * included) to all of them searchable.
     */
    private void fromFiles(String bootstrap, long from, long count, Instant first, long spacingNanos) throws Exception {
        Path root = Path.of("target/log-index-benchmark-pods").toAbsolutePath();
        delete(root);
        long writeStart = System.nanoTime();
        Map<String, Writer> files = new HashMap<>();
        try {
            for (long i = from; i < from + count; i++) {
                LogRecord record = lines.line(i, first.plusNanos(i * spacingNanos));
                Writer file = files.get(record.podName());
                if (file == null) {
                    file = podLog(root, record);
                    files.put(record.podName(), file);
                }
                file.write(FLINK_TIME.format(record.occurredAt()) + " " + String.format("%-5s %-60s", record.level(), record.logger())
                        + " [] - " + record.message() + "\n");
            }
        } finally {
            for (Writer file : files.values()) {
                file.close();
            }
        }
        System.out.printf("files: %,d lines written into %d pods' log files in %.1f s%n", count, files.size(),
                (System.nanoTime() - writeStart) / 1e9);
        String agentDir = System.getProperty("bench.logs.agent", "../services/log-agent/target");
        Path agentJar;
        try (Stream<Path> jars = Files.list(Path.of(agentDir))) {
            agentJar = jars.filter(path -> path.getFileName().toString().matches("slipway-log-agent-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no log agent jar in " + agentDir
                            + ": build it with ./mvnw -B -pl services/log-agent -am install -DskipTests"));
        }
        List<String> command = List.of("java", "-Xmx512m", "-cp", agentJar.toAbsolutePath() + File.pathSeparator
                + Path.of(agentDir, "lib").toAbsolutePath() + File.separator + "*",
                "-Dslipway.log-agent.log-root=" + root, "-Dslipway.log-agent.bootstrap-servers=" + bootstrap,
                "-Dslipway.log-agent.time-zone=UTC", "dev.slipway.logagent.LogAgentMain");
        long launched = System.nanoTime();
        Process agent = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/log-agent-benchmark.log"))).start();
        Runtime.getRuntime().addShutdownHook(new Thread(agent::destroyForcibly, "stop-log-agent"));
        try {
            awaitSearchable(from + count);
            double seconds = (System.nanoTime() - launched) / 1e9;
            System.out.printf("files: all %,d searchable %.1f s after the log agent's launch (JVM start included): %,.0f lines/s "
                    + "from file to searchable%n", from + count, seconds, count / seconds);
        } finally {
            stop(agent);
        }
    }

    /** A pod's directory as the pod-provisioner lays it out, with its pod.properties, and its log file to append to. */
    private static Writer podLog(Path root, LogRecord record) throws IOException {
        Path dir = Files.createDirectories(root.resolve(record.clusterId()).resolve(record.podName()));
        Files.writeString(dir.resolve("pod.properties"), "cluster=" + record.clusterId() + "\npod=" + record.podName() + "\nrole="
                + record.role() + "\njob=" + record.jobId() + "\n");
        return Files.newBufferedWriter(dir.resolve(record.podName() + ".log"), StandardCharsets.UTF_8);
    }

    /** Graceful stop: the indexer commits its indexes and then its offsets. */
    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    private double produce(String bootstrap, long from, long count, Instant first, long spacingNanos) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(256L * 1024 * 1024));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (long i = from; i < from + count; i++) {
                producer.send(EventRecords.toRecord(lines.line(i, first.plusNanos(i * spacingNanos)), "/bench/log-agent", null));
            }
            producer.flush();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private void awaitSearchable(long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(60).toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            seen = JSON.readTree(get("/api/v1/logs?limit=1")).path("total").asLong();
            if (seen >= expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("only " + seen + " of " + expected + " searchable after 60 min");
    }

    private void searchLatency(int queries) throws Exception {
        List<String> kinds = List.of(
                "newest lines of everything|",
                "one word|q=%w",
                "two words|q=%w %w",
                "phrase|q=\"completed checkpoint\"",
                "stack frame|q=LocalBufferPool.java",
                "cluster + ERROR|clusterId=bench-%c&level=ERROR",
                "pod + word + 10 min range|pod=bench-%c-tm-3&q=%w&from=%f&to=%t",
                "second page (cursor)|clusterId=bench-%c&limit=100&cursor=%next");
        List<long[]> samples = new ArrayList<>();
        for (int k = 0; k < kinds.size(); k++) {
            samples.add(new long[queries / kinds.size()]);
        }
        for (int round = 0; round < 2; round++) { // round 0 warms up
            for (int n = 0; n < queries / kinds.size(); n++) {
                for (int k = 0; k < kinds.size(); k++) {
                    String path = "/api/v1/logs?limit=100&" + params(kinds.get(k).split("\\|", 2)[1]);
                    long start = System.nanoTime();
                    JsonNode answer = JSON.readTree(get(path));
                    long micros = (System.nanoTime() - start) / 1_000;
                    if (!answer.has("records")) {
                        throw new IllegalStateException(path + " answered " + answer);
                    }
                    if (round == 1) {
                        samples.get(k)[n] = micros;
                    }
                }
            }
        }
        long[] all = samples.stream().flatMapToLong(java.util.Arrays::stream).toArray();
        System.out.printf("search (limit 100, counts by level included), %d queries after as many for warm-up:%n", all.length);
        for (int k = 0; k < kinds.size(); k++) {
            System.out.printf("  %-28s p50 %6.1f ms  p99 %6.1f ms%n", kinds.get(k).split("\\|")[0],
                    Percentiles.of(samples.get(k), 50) / 1000.0, Percentiles.of(samples.get(k), 99) / 1000.0);
        }
        System.out.printf("  %-28s p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n", "all", Percentiles.of(all, 50) / 1000.0,
                Percentiles.of(all, 99) / 1000.0, Percentiles.of(all, 100) / 1000.0);
    }

    private String params(String template) throws Exception {
        String cluster = Integer.toString(random.nextInt(LogLines.CLUSTERS));
        String out = template;
        if (out.contains("%next")) {
            String cursor = JSON.readTree(get("/api/v1/logs?limit=100&clusterId=bench-" + cluster)).path("nextCursor").asText();
            out = out.replace("%next", cursor);
        }
        out = out.replace("%c", cluster);
        while (out.contains("%w")) {
            out = out.replaceFirst("%w", LogLines.WORDS[random.nextInt(LogLines.WORDS.length)]);
        }
        Instant from = Instant.now().minus(Duration.ofMinutes(10 + random.nextInt(150)));
        out = out.replace("%f", from.toString()).replace("%t", from.plus(Duration.ofMinutes(10)).toString());
        StringBuilder encoded = new StringBuilder();
        for (String pair : out.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                encoded.append(encoded.isEmpty() ? "" : "&").append(pair, 0, eq + 1)
                        .append(URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return encoded.toString();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + OPERATOR_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void awaitUp() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the indexer did not become ready in 120 s; see target/log-index-benchmark.log");
    }

    /** Deletes {@code dir} and everything in it, if it exists. */
    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
