package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The pipeline users come for, in the demo, on the platform's own Kafka and PostgreSQL: one SQL job writes generated
 * orders as JSON into a Kafka topic, another reads them, totals them per customer in ten-second event-time windows and
 * upserts the totals into a PostgreSQL table, which fills as the demo watches. Both jobs name their connectors as Maven
 * dependencies, which job-submission fetches (from Maven Central unless SLIPWAY_MAVEN_REPOSITORIES says otherwise).
 */
final class PipelineDemo {

    static final String KAFKA = "org.apache.flink:flink-sql-connector-kafka:5.0.0-2.2";
    static final List<String> TOTALS_DEPENDENCIES = List.of(KAFKA, "org.apache.flink:flink-connector-jdbc-core:4.0.0-2.0",
            "org.apache.flink:flink-connector-jdbc-postgres:4.0.0-2.0", "org.postgresql:postgresql:42.7.10");
    static final String DATABASE = "warehouse";
    static final String EXAMPLE = "examples/sql/kafka-to-postgres.sql";

    /** What the demo saw: windows totalled and rows in the table. */
    record Outcome(String table, int windows, int rows) {
    }

    private final Settings settings;
    private final SubmissionClient submission;
    private final Consumer<String> say;

    PipelineDemo(Settings settings, SubmissionClient submission, Consumer<String> say) {
        this.settings = settings;
        this.submission = submission;
        this.say = say;
    }

    Outcome run(String cluster, int windows) {
        String topic = "demo-orders-" + cluster;
        String table = "order_totals_" + cluster.replace('-', '_');
        createTopic(topic);
        String warehouseUrl = createTable(table);
        say.accept("pipeline: orders into Kafka topic " + topic + ", totalled per customer in 10 s event-time windows into PostgreSQL "
                + warehouseUrl + " table " + table + "; the connectors are the jobs' Maven dependencies: " + String.join(", ",
                TOTALS_DEPENDENCIES));
        List<String> jobs = new ArrayList<>();
        try {
            JsonNode events = submission.submitSql(cluster, "order events", eventsScript(topic), 1, List.of(KAFKA), List.of());
            jobs.add(events.path("id").asText());
            JsonNode totals = submission.submitSql(cluster, "order totals", totalsScript(topic, warehouseUrl, table), 1, TOTALS_DEPENDENCIES,
                    List.of());
            jobs.add(totals.path("id").asText());
            for (String job : jobs) {
                JsonNode running = submission.awaitJob(job, Set.of("RUNNING"), Duration.ofSeconds(180));
                if (!running.path("status").asText().equals("RUNNING")) {
                    throw new CliException("pipeline job " + job + " is " + running.path("status").asText() + SubmissionClient.reason(running)
                            + " (./slipway jobs get " + job + ")");
                }
            }
            say.accept("pipeline jobs RUNNING: " + String.join(", ", jobs) + "; watching the table fill");
            return watch(warehouseUrl, table, windows);
        } finally {
            for (String job : jobs) {
                submission.act(job, "cancel", null);
            }
            for (String job : jobs) {
                submission.awaitJob(job, Set.of("CANCELED", "FAILED", "FINISHED"), Duration.ofSeconds(60));
            }
        }
    }

    /** Until the table holds {@code windows} closed windows, printing each new one's totals. */
    private Outcome watch(String url, String table, int windows) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<String> seen = new ArrayList<>();
        int rows = 0;
        while (seen.size() < windows) {
            if (System.nanoTime() > deadline) {
                throw new CliException("the table " + table + " holds " + seen.size() + " windows after 120 s, " + windows + " expected"
                        + " (./slipway jobs list shows the pipeline's jobs; ./slipway search <cluster> ERROR their logs)");
            }
            try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
                    Statement statement = connection.createStatement();
                    ResultSet totals = statement.executeQuery("select window_start, count(*), sum(orders), sum(amount) from " + table
                            + " group by window_start order by window_start")) {
                rows = 0;
                while (totals.next()) {
                    String window = totals.getTimestamp(1).toLocalDateTime().toLocalTime().toString();
                    rows += totals.getInt(2);
                    if (!seen.contains(window)) {
                        seen.add(window);
                        say.accept("table " + table + ": window " + window + " totalled, " + totals.getInt(2) + " customers, "
                                + totals.getLong(3) + " orders, amount " + totals.getLong(4));
                    }
                }
            } catch (SQLException e) {
                throw new CliException("cannot read " + table + " at " + url + ": " + e.getMessage());
            }
            PlatformApi.sleep(1000);
        }
        return new Outcome(table, seen.size(), rows);
    }

    private void createTopic(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new CliException("cannot create the topic " + topic + " on " + settings.kafkaBootstrap() + ": " + e.getCause().getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** The warehouse database on the platform's PostgreSQL, and the table of totals in it; answers its JDBC URL. */
    private String createTable(String table) {
        String platformDb = settings.postgresUrl();
        String url = platformDb.substring(0, platformDb.lastIndexOf('/') + 1) + DATABASE;
        try (Connection connection = DriverManager.getConnection(platformDb, "postgres", "postgres");
                Statement statement = connection.createStatement();
                ResultSet exists = statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
            if (!exists.next()) {
                statement.execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new CliException("cannot create the database " + DATABASE + " at " + platformDb + ": " + e.getMessage());
        }
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("drop table if exists " + table);
            statement.execute("create table " + table + " (customer text, window_start timestamp(3), orders bigint, amount bigint,"
                    + " primary key (customer, window_start))");
        } catch (SQLException e) {
            throw new CliException("cannot create the table " + table + " at " + url + ": " + e.getMessage());
        }
        return url;
    }

    private String eventsScript(String topic) {
        return """
                CREATE TABLE generated (customer_id INT, amount INT) WITH ('connector' = 'datagen', 'rows-per-second' = '50',
                  'fields.customer_id.min' = '1', 'fields.customer_id.max' = '5', 'fields.amount.min' = '1', 'fields.amount.max' = '100');
                CREATE TABLE orders (customer STRING, amount INT, ts TIMESTAMP(3)) WITH ('connector' = 'kafka', 'topic' = '%s',
                  'properties.bootstrap.servers' = '%s', 'format' = 'json');
                INSERT INTO orders SELECT CONCAT('customer-', CAST(customer_id AS STRING)), amount, CAST(LOCALTIMESTAMP AS TIMESTAMP(3))
                FROM generated;
                """.formatted(topic, settings.kafkaBootstrap());
    }

    /**
     * examples/sql/kafka-to-postgres.sql, the script the README shows, with the demo's topic, broker, database and table in
     * place of the example's.
     */
    private String totalsScript(String topic, String url, String table) {
        String script = DemoCommand.example(settings, EXAMPLE);
        Map<String, String> replacements = Map.of("'topic' = 'orders'", "'topic' = '" + topic + "'",
                "'127.0.0.1:9092'", "'" + settings.kafkaBootstrap() + "'",
                "'jdbc:postgresql://127.0.0.1:5432/warehouse'", "'" + url + "'",
                "'table-name' = 'totals'", "'table-name' = '" + table + "'");
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            if (!script.contains(replacement.getKey())) {
                throw new CliException(EXAMPLE + " no longer names " + replacement.getKey() + ", which the demo replaces");
            }
            script = script.replace(replacement.getKey(), replacement.getValue());
        }
        return script;
    }
}
