package dev.slipway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.testkit.DatabaseEndpoint;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipeline users come for, on the platform's own Kafka and PostgreSQL: a SQL job reads JSON orders from a topic (Kafka
 * SQL connector), totals them per customer in ten-second event-time windows, and upserts the totals into a PostgreSQL table
 * (JDBC connector). The connectors are the job's Maven dependencies, fetched by job-submission from a Maven repository.
 * The table is checked row by row; the job is stopped with a savepoint, more orders arrive, and the job restarted from the
 * savepoint (its Kafka offsets and its open windows restored) brings the table to the exact totals again. And a JAR job
 * copies a topic to another with exactly-once delivery across a TaskManager killed under it.
 */
class PipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final LocalDateTime START = LocalDateTime.of(2026, 12, 7, 10, 0, 0);

    private static SubmissionPlatform shared;
    private static String cluster;
    private static FlinkRest flink;

    /** One order: {@code second} after START. */
    record Order(String customer, int amount, int second) {

        String json() {
            return "{\"customer\":\"%s\",\"amount\":%d,\"ts\":\"%s\"}".formatted(customer, amount, SQL_TIME.format(START.plusSeconds(second)));
        }

        LocalDateTime windowStart() {
            return START.plusSeconds(second / 10 * 10L);
        }
    }

    /** A total as the table holds it. */
    record Total(long orders, long amount) {
    }

    @BeforeAll
    static void start() throws Exception {
        shared = SubmissionPlatform.shared();
        cluster = shared.api().contentType("application/json").body("""
                {"name":"e2e-pipeline","mode":"ELASTIC","jobManager":{"cpu":0.5,"memoryMb":1024},
                 "taskManager":{"cpu":0.5,"memoryMb":1024},"slotsPerTaskManager":2,
                 "elastic":{"warmPool":0,"maxTaskManagers":2,"idleTimeoutSeconds":60}}
                """).post("/api/v1/clusters").then().statusCode(201).extract().path("id");
        await("cluster RUNNING").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> shared.api().get("/api/v1/clusters/{id}", cluster).then().extract().path("status"), "RUNNING"::equals);
        flink = shared.platform.awaitJobManager(cluster);
    }

    @AfterAll
    static void deleteCluster() {
        if (cluster != null) {
            shared.api().queryParam("force", true).delete("/api/v1/clusters/{id}", cluster);
            await("the pipeline's cluster gone").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> shared.platform.localPods().stream().noneMatch(pod -> pod.startsWith(cluster + "/")));
        }
    }

    @Test
    void kafkaOrdersAreTotalledInEventTimeWindowsIntoPostgresAcrossAStopAndARestartFromItsSavepoint() throws Exception {
        String topic = "orders-" + System.nanoTime();
        createTopic(topic, 1);
        DatabaseEndpoint warehouse = createWarehouse();
        String id = shared.api().contentType("application/json").body(Map.of("type", "SQL", "clusterId", cluster, "parallelism", 1,
                        "name", "order totals", "script", pipeline(topic, warehouse),
                        "dependencies", List.of(shared.connectors.get("flink-sql-connector-kafka"),
                                shared.connectors.get("flink-connector-jdbc-core"), shared.connectors.get("flink-connector-jdbc-postgres"),
                                shared.connectors.get("postgresql"))))
                .post("/api/v1/jobs").then().log().ifValidationFails().statusCode(201).extract().path("id");

        // Windows [0,10) and [10,20) of three customers, out of order within each window; an order at 25 s moves the
        // watermark (1 s out of order) past them. No order comes after one of a later window past its bound: a periodic
        // watermark may fall between any two records, and whatever is behind it is late and dropped.
        List<Order> first = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            first.add(new Order(List.of("ada", "bob", "cy").get(i % 3), i + 1, i / 15 * 10 + (i * 7) % 10));
        }
        first.add(new Order("zed", 100, 25));
        produce(topic, first);
        String firstRun = awaitStatus(id, "RUNNING").getString("flinkJobId");
        await("totals of the first two windows").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> totals(warehouse), totals -> totals.equals(expected(first, START.plusSeconds(20))));

        shared.api().post("/api/v1/jobs/{id}/stop", id).then().statusCode(202);
        JsonPath stopped = awaitStatus(id, "FINISHED");
        String savepoint = stopped.getString("latestSavepoint");
        assertThat(savepoint).isNotNull();

        // While the job is stopped: orders of windows [20,30) (zed's window is open in the savepoint) and [30,40).
        List<Order> second = List.of(new Order("ada", 7, 21), new Order("zed", 5, 28), new Order("cy", 2, 27),
                new Order("bob", 9, 33), new Order("bob", 1, 39), new Order("zed", 1, 45));
        produce(topic, second);
        shared.api().post("/api/v1/jobs/{id}/restart", id).then().statusCode(202);
        JsonPath restarted = awaitStatus(id, "RUNNING");
        assertThat(restarted.getString("restoredFrom.path")).isEqualTo(savepoint);
        String secondRun = restarted.getString("flinkJobId");
        assertThat(secondRun).isNotEqualTo(firstRun);

        List<Order> all = new ArrayList<>(first);
        all.addAll(second);
        await("totals of four windows").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> totals(warehouse), totals -> totals.equals(expected(all, START.plusSeconds(40))));
        // Flink says the run restored state (Kafka offsets, zed's open window [20,30)), and nothing was counted twice.
        assertThat(flink.restoredCheckpoint(secondRun)).as("the restored run's checkpoint").isNotNull();
        assertThat(totals(warehouse)).containsEntry("zed@2026-12-07 10:00:20.000", new Total(2, 105))
                .isEqualTo(expected(all, START.plusSeconds(40)));

        JsonPath job = shared.api().get("/api/v1/jobs/{id}", id).then().statusCode(200).extract().jsonPath();
        assertThat(job.getList("versions[0].dependencies.coordinate", String.class)).hasSize(4)
                .contains(shared.connectors.get("flink-sql-connector-kafka"));
        shared.api().post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        awaitStatus(id, "CANCELED");
    }

    @Test
    void aJobsConnectorsAreItsOwnNotTheClusters() {
        // The same kind of Kafka source, without the dependency: the other job's connector is not on this job's class path.
        String script = """
                CREATE TABLE orders (customer STRING) WITH ('connector' = 'kafka', 'topic' = 'none',
                  'properties.bootstrap.servers' = '%s', 'format' = 'json');
                CREATE TABLE sink (customer STRING) WITH ('connector' = 'blackhole');
                INSERT INTO sink SELECT customer FROM orders;
                """.formatted(shared.platform.broker.bootstrapServers());
        String id = shared.api().contentType("application/json")
                .body(Map.of("type", "SQL", "clusterId", cluster, "parallelism", 1, "script", script))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        JsonPath failed = await("the job without its connector FAILED").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> shared.api().get("/api/v1/jobs/{id}", id).then().extract().jsonPath(),
                        job -> "FAILED".equals(job.getString("status")));
        assertThat(failed.getString("failureCause")).contains("'kafka'");
    }

    @Test
    void twoJobsOnOneClusterRunTwoVersionsOfOneLibraryEachItsOwn() {
        String older = shared.olderConnectors.get("kafka-clients");
        String newer = shared.connectors.get("kafka-clients");
        assertThat(older).isNotEqualTo(newer);
        // Both at once, one slot each: on this cluster's TaskManagers, whose own lib/ holds the platform's kafka-clients too.
        String first = reportingKafkaClientsVersion(older);
        String second = reportingKafkaClientsVersion(newer);
        Map<String, String> seen = new TreeMap<>();
        for (String id : List.of(first, second)) {
            String run = awaitStatus(id, "FINISHED").getString("flinkJobId");
            seen.put(id, flink.accumulator(run, "kafka-clients"));
        }
        assertThat(seen.get(first)).isEqualTo("[" + version(older) + "]");
        assertThat(seen.get(second)).isEqualTo("[" + version(newer) + "]");
        assertThat(shared.api().get("/api/v1/jobs/{id}", first).then().extract().jsonPath()
                .getList("versions[0].dependencies.coordinate", String.class)).containsExactly(older);
    }

    private String reportingKafkaClientsVersion(String kafkaClients) {
        return shared.api().multiPart("jar", shared.platform.exampleJobsJar().toFile(), "application/java-archive")
                .multiPart("clusterId", cluster)
                .multiPart("entryClass", "dev.slipway.flink.examples.KafkaClientsVersion")
                .multiPart("parallelism", "1")
                .multiPart("dependencies", kafkaClients)
                .post("/api/v1/jobs").then().log().ifValidationFails().statusCode(201).extract().path("id");
    }

    private static String version(String coordinate) {
        return coordinate.substring(coordinate.lastIndexOf(':') + 1);
    }

    @Test
    void aJarJobCopiesATopicExactlyOnceAcrossATaskManagerKill() throws Exception {
        String input = "numbers-" + System.nanoTime();
        String output = input + "-copied";
        createTopic(input, 2);
        createTopic(output, 2);
        produce(input, 0, 1000);
        String id = shared.api().multiPart("jar", shared.platform.exampleJobsJar().toFile(), "application/java-archive")
                .multiPart("clusterId", cluster)
                .multiPart("entryClass", "dev.slipway.flink.examples.ExactlyOnceCopy")
                .multiPart("parallelism", "2")
                .multiPart("dependencies", shared.connectors.get("flink-connector-kafka"))
                .multiPart("dependencies", shared.connectors.get("kafka-clients"))
                .multiPart("args", "--bootstrap").multiPart("args", shared.platform.broker.bootstrapServers())
                .multiPart("args", "--input").multiPart("args", input)
                .multiPart("args", "--output").multiPart("args", output)
                .multiPart("args", "--checkpoint-ms").multiPart("args", "500")
                .post("/api/v1/jobs").then().log().ifValidationFails().statusCode(201).extract().path("id");
        String run = awaitStatus(id, "RUNNING").getString("flinkJobId");
        await("the first committed copies").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> committed(output).size(), copied -> copied > 0);

        // kill -9 of a TaskManager running the job, while it copies: Flink restarts it from its last checkpoint on another.
        String victim = shared.platform.liveTaskManagers(cluster).get(0);
        ProcessHandle.of(shared.platform.pid(cluster, victim)).orElseThrow().destroyForcibly();
        produce(input, 1000, 2000);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            expected.add(i + ":copied");
        }
        await("every number copied once").atMost(WAIT).pollInterval(Duration.ofSeconds(1))
                .until(() -> committed(output).size() >= expected.size());
        // No loss, no duplicate: what a read_committed consumer sees is the input, each record once.
        assertThat(committed(output)).containsExactlyInAnyOrderElementsOf(expected);
        JsonPath job = shared.api().get("/api/v1/jobs/{id}", id).then().extract().jsonPath();
        assertThat(job.getString("flinkJobId")).as("Flink restarted the same run").isEqualTo(run);
        assertThat(flink.restoredCheckpoint(run)).as("the run failed over and restored a checkpoint").isNotNull();
        shared.api().post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
        awaitStatus(id, "CANCELED");
    }

    /** The topic's records as a read_committed consumer sees them: only those of committed transactions. */
    private static List<String> committed(String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, shared.platform.broker.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    /**
     * examples/sql/kafka-to-postgres.sql, the script users are shown, with this test's topic, broker and database in place of
     * the example's: the example is what runs here.
     */
    private static String pipeline(String topic, DatabaseEndpoint warehouse) throws Exception {
        String example = Files.readString(shared.platform.repository.resolve("examples/sql/kafka-to-postgres.sql"));
        return replaced(example, Map.of("'topic' = 'orders'", "'topic' = '" + topic + "'",
                "'127.0.0.1:9092'", "'" + shared.platform.broker.bootstrapServers() + "'",
                "'jdbc:postgresql://127.0.0.1:5432/warehouse'", "'" + warehouse.jdbcUrl() + "'",
                "'username' = 'postgres'", "'username' = '" + warehouse.username() + "'",
                "'password' = 'postgres'", "'password' = '" + warehouse.password() + "'"));
    }

    private static String replaced(String text, Map<String, String> replacements) {
        String result = text;
        for (var replacement : replacements.entrySet()) {
            assertThat(result).as("the example names " + replacement.getKey()).contains(replacement.getKey());
            result = result.replace(replacement.getKey(), replacement.getValue());
        }
        return result;
    }

    /** The totals of the windows that end by {@code watermark}, as the table should hold them. */
    private static Map<String, Total> expected(List<Order> orders, LocalDateTime closedBy) {
        Map<String, Total> totals = new TreeMap<>();
        for (Order order : orders) {
            if (!order.windowStart().plusSeconds(10).isAfter(closedBy)) {
                totals.merge(order.customer() + "@" + SQL_TIME.format(order.windowStart()), new Total(1, order.amount()),
                        (a, b) -> new Total(a.orders() + b.orders(), a.amount() + b.amount()));
            }
        }
        return totals;
    }

    private static Map<String, Total> totals(DatabaseEndpoint warehouse) throws Exception {
        Map<String, Total> totals = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(warehouse.jdbcUrl(), warehouse.username(), warehouse.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select customer, window_start, orders, amount from totals")) {
            while (rows.next()) {
                totals.put(rows.getString(1) + "@" + SQL_TIME.format(rows.getTimestamp(2).toLocalDateTime()),
                        new Total(rows.getLong(3), rows.getLong(4)));
            }
        }
        return totals;
    }

    private static DatabaseEndpoint createWarehouse() throws Exception {
        DatabaseEndpoint warehouse = shared.database("warehouse_" + System.nanoTime());
        try (Connection connection = DriverManager.getConnection(warehouse.jdbcUrl(), warehouse.username(), warehouse.password());
                Statement statement = connection.createStatement()) {
            statement.execute("create table totals (customer text not null, window_start timestamp(3) not null, orders bigint not null,"
                    + " amount bigint not null, primary key (customer, window_start))");
        }
        return warehouse;
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, shared.platform.broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
    }

    /** The numbers {@code from} (inclusive) to {@code to} as records, round-robin over the topic's partitions. */
    private static void produce(String topic, int from, int to) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, shared.platform.broker.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, Integer.toString(i)));
            }
            producer.flush();
        }
    }

    private static void produce(String topic, List<Order> orders) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, shared.platform.broker.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (Order order : orders) {
                producer.send(new ProducerRecord<>(topic, order.customer(), order.json())).get();
            }
        }
    }

    private static JsonPath awaitStatus(String id, String status) {
        JsonPath[] last = new JsonPath[1];
        await("job " + id + " " + status).atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            last[0] = shared.api().get("/api/v1/jobs/{id}", id).then().statusCode(200).extract().jsonPath();
            assertThat(last[0].getString("status")).as("job " + id + ": " + last[0].getString("failureCause")).isNotEqualTo("FAILED");
            return status.equals(last[0].getString("status")) && last[0].get("operation") == null;
        });
        return last[0];
    }
}
