package dev.slipway.loadtests;

import static org.awaitility.Awaitility.await;

import dev.slipway.e2e.FlinkRest;
import dev.slipway.e2e.SubmissionPlatform;
import dev.slipway.testkit.DatabaseEndpoint;
import io.restassured.path.json.JsonPath;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Two figures of users' own jobs, on one platform with job-submission fetching dependencies from Maven Central:
 * <ol>
 * <li>Submission of a SQL job naming two Maven dependencies (the Kafka SQL connector and the PostgreSQL driver) to RUNNING,
 * cold (fetched from Central) and warm (taken from the artifact store), on a STATIC cluster whose TaskManagers are up.</li>
 * <li>The Kafka-to-PostgreSQL pipeline's throughput: {@code orders} JSON orders in a topic of two partitions, read with a
 * bounded Kafka source (to the offsets at start), totalled per customer (1,000) in one-minute event-time windows over an
 * hour, upserted into PostgreSQL, at parallelism 2 with checkpoints every 10 s; beside the same job into a
 * {@code blackhole} sink. Records/s is orders over Flink's own duration of the job (scheduling included).</li>
 * </ol>
 *
 * <p>Run: {@code ./mvnw -B install -DskipTests && ./mvnw -B -pl loadtests exec:exec@pipeline [-Dbench.pipeline.orders=500000]}
 */
public final class PipelineBenchmark {

    private static final String CENTRAL = "https://repo.maven.apache.org/maven2";
    private static final String KAFKA = "org.apache.flink:flink-sql-connector-kafka:5.0.0-2.2";
    private static final String JDBC = "org.apache.flink:flink-connector-jdbc-core:4.0.0-2.0";
    private static final String JDBC_POSTGRES = "org.apache.flink:flink-connector-jdbc-postgres:4.0.0-2.0";
    private static final String DRIVER = "org.postgresql:postgresql:42.7.10";
    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Duration WAIT = Duration.ofMinutes(10);

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        try (SubmissionPlatform platform = new SubmissionPlatform("pipeline-benchmark", CENTRAL)) {
            String cluster = platform.api().contentType("application/json").body("""
                    {"name":"pipeline-bench","mode":"STATIC","staticTaskManagers":2,"jobManager":{"cpu":0.5,"memoryMb":1024},
                     "taskManager":{"cpu":1,"memoryMb":1536},"slotsPerTaskManager":2}
                    """).post("/api/v1/clusters").then().statusCode(201).extract().path("id");
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> platform.api().get("/api/v1/clusters/{id}", cluster).then().extract().path("status"), "RUNNING"::equals);
            FlinkRest flink = platform.platform.awaitJobManager(cluster);
            await().atMost(WAIT).until(() -> flink.taskManagers().size() == 2);

            System.out.println("== submission with two Maven dependencies (" + KAFKA + ", " + DRIVER + ") from " + CENTRAL);
            for (String round : List.of("cold", "warm", "warm", "warm")) {
                long start = System.nanoTime();
                String id = platform.api().contentType("application/json").body(Map.of("type", "SQL", "clusterId", cluster,
                                "parallelism", 1, "script", GENERATED, "dependencies", List.of(KAFKA, DRIVER)))
                        .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
                long accepted = System.nanoTime();
                String run = awaitStatus(platform, id, "RUNNING").getString("flinkJobId");
                await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> flink.allRunning(run));
                long running = System.nanoTime();
                System.out.printf("%-4s  POST answered %6d ms   submission -> all tasks RUNNING %6d ms%n", round,
                        (accepted - start) / 1_000_000, (running - start) / 1_000_000);
                platform.api().post("/api/v1/jobs/{id}/cancel", id).then().statusCode(202);
                awaitStatus(platform, id, "CANCELED");
            }

            String topic = "orders";
            produce(platform, topic, orders);
            DatabaseEndpoint warehouse = warehouse(platform);
            System.out.println("== " + orders + " orders, 1,000 customers, one-minute windows over an hour, parallelism 2,"
                    + " checkpoints every 10 s");
            for (String sink : List.of("blackhole", "postgres", "blackhole", "postgres")) {
                String id = platform.api().contentType("application/json").body(Map.of("type", "SQL", "clusterId", cluster,
                                "parallelism", 2, "script", pipeline(platform, topic, sink, warehouse),
                                "dependencies", List.of(KAFKA, JDBC, JDBC_POSTGRES, DRIVER)))
                        .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
                String run = awaitStatus(platform, id, "FINISHED").getString("flinkJobId");
                long millis = ((Number) io.restassured.RestAssured.given().get(flink.url() + "/jobs/" + run)
                        .then().statusCode(200).extract().path("duration")).longValue();
                System.out.printf("%-9s  %8d ms   %,10.0f orders/s%s%n", sink, millis, orders * 1000.0 / millis,
                        sink.equals("postgres") ? "   " + rows(warehouse) + " rows in the table" : "");
            }
        }
    }

    private static final String GENERATED = """
            CREATE TABLE s (x INT) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
            CREATE TABLE t (x INT) WITH ('connector' = 'blackhole');
            INSERT INTO t SELECT x FROM s;
            """;

    private static String pipeline(SubmissionPlatform platform, String topic, String sink, DatabaseEndpoint warehouse) {
        String sinkOptions = sink.equals("blackhole") ? "'connector' = 'blackhole'"
                : "'connector' = 'jdbc', 'url' = '%s', 'table-name' = 'totals', 'username' = '%s', 'password' = '%s'"
                        .formatted(warehouse.jdbcUrl(), warehouse.username(), warehouse.password());
        return """
                SET 'execution.checkpointing.interval' = '10s';
                CREATE TABLE orders (customer STRING, amount INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
                WITH ('connector' = 'kafka', 'topic' = '%s', 'properties.bootstrap.servers' = '%s',
                  'properties.group.id' = 'bench-%s', 'scan.startup.mode' = 'earliest-offset',
                  'scan.bounded.mode' = 'latest-offset', 'format' = 'json');
                CREATE TABLE totals (customer STRING, window_start TIMESTAMP(3), orders BIGINT, amount BIGINT,
                  PRIMARY KEY (customer, window_start) NOT ENFORCED) WITH (%s);
                INSERT INTO totals SELECT customer, window_start, COUNT(*), SUM(amount)
                FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
                GROUP BY customer, window_start, window_end;
                """.formatted(topic, platform.platform.broker.bootstrapServers(), System.nanoTime(), sinkOptions);
    }

    private static void produce(SubmissionPlatform platform, String topic, int orders) throws Exception {
        String bootstrap = platform.platform.broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        }
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        LocalDateTime start = LocalDateTime.of(2026, 12, 7, 10, 0);
        long began = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < orders; i++) {
                String customer = "c" + (i % 1000);
                LocalDateTime ts = start.plusNanos((long) i * 3_600_000_000_000L / orders);
                producer.send(new ProducerRecord<>(topic, customer, "{\"customer\":\"%s\",\"amount\":%d,\"ts\":\"%s\"}"
                        .formatted(customer, i % 100, SQL_TIME.format(ts))));
            }
        }
        System.out.printf("produced %,d orders in %d ms%n", orders, (System.nanoTime() - began) / 1_000_000);
    }

    private static DatabaseEndpoint warehouse(SubmissionPlatform platform) throws Exception {
        DatabaseEndpoint warehouse = platform.database("warehouse");
        try (Connection connection = DriverManager.getConnection(warehouse.jdbcUrl(), warehouse.username(), warehouse.password());
                Statement statement = connection.createStatement()) {
            statement.execute("create table totals (customer text, window_start timestamp(3), orders bigint, amount bigint,"
                    + " primary key (customer, window_start))");
        }
        return warehouse;
    }

    private static long rows(DatabaseEndpoint warehouse) throws Exception {
        try (Connection connection = DriverManager.getConnection(warehouse.jdbcUrl(), warehouse.username(), warehouse.password());
                Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("select count(*) from totals")) {
            count.next();
            return count.getLong(1);
        }
    }

    private static JsonPath awaitStatus(SubmissionPlatform platform, String id, String status) {
        List<JsonPath> last = new ArrayList<>(List.of(new JsonPath("{}")));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonPath job = platform.api().get("/api/v1/jobs/{id}", id).then().statusCode(200).extract().jsonPath();
            last.set(0, job);
            if ("FAILED".equals(job.getString("status"))) {
                throw new IllegalStateException("job " + id + " FAILED: " + job.getString("failureCause"));
            }
            return status.equals(job.getString("status")) && job.get("operation") == null;
        });
        return last.get(0);
    }
}
