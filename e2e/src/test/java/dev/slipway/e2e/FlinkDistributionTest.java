package dev.slipway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ordinary jobs that need only what Flink's distribution ships in lib/ run on local pods of both supported versions: the
 * file connector (FileSource, FileSink), SQL with the filesystem connector and the CSV and JSON formats, CEP, and the
 * RocksDB state backend with incremental checkpoints. Each version gets one STATIC cluster on one platform.
 */
class FlinkDistributionTest {

    private static final String UPPERCASE_FILES = "dev.slipway.flink.examples.UppercaseFiles";
    private static final String REPEATED_FAILURES = "dev.slipway.flink.examples.RepeatedFailures";
    private static final String SQL_RUNNER_CLASS = "dev.slipway.flink.sql.SqlRunner";
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = Platform.shared();
    }

    /** Each test's cluster goes when the test ends: the processes of earlier tests do not take the CPU of later ones. */
    @AfterEach
    void deleteClusters() throws Exception {
        if (platform != null) {
            platform.deleteClusters();
        }
    }

    @Test
    void flink22RunsFileConnectorSqlFormatsCepAndRocksDbJobs() throws Exception {
        runsWhatTheDistributionShips("dist-2-2", "2.2.0");
    }

    @Test
    void flink120RunsFileConnectorSqlFormatsCepAndRocksDbJobs() throws Exception {
        runsWhatTheDistributionShips("dist-1-20", "1.20.3");
    }

    private static void runsWhatTheDistributionShips(String cluster, String version) throws Exception {
        platform.createCluster(cluster, Scenarios.staticCluster(cluster, version, 1));
        FlinkRest flink = platform.awaitJobManager(cluster);
        Scenarios.awaitIdleTaskManagers(flink, 1, 2);
        String examples = flink.uploadJar(platform.exampleJobsJar().toFile());
        Path files = platform.work.resolve("files").resolve(cluster);

        // The file connector: lines in, upper-cased lines out.
        List<String> lines = IntStream.range(0, 300).mapToObj(i -> "line " + i + " of the input").toList();
        Files.createDirectories(files.resolve("in"));
        Files.write(files.resolve("in/a.txt"), lines.subList(0, 150));
        Files.write(files.resolve("in/b.txt"), lines.subList(150, 300));
        String copy = flink.run(examples, UPPERCASE_FILES, 2, List.of("--in", files.resolve("in").toUri().toString(),
                "--out", files.resolve("out").toUri().toString()));
        awaitFinished(flink, copy);
        assertThat(finishedLines(files.resolve("out"))).containsExactlyInAnyOrderElementsOf(
                lines.stream().map(line -> line.toUpperCase(Locale.ROOT)).toList());

        // SQL over files: CSV in, JSON out, through the filesystem connector, in batch mode.
        Files.writeString(files.resolve("orders.csv"), "1,apples,3\n2,pears,5\n3,apples,4\n4,plums,1\n5,pears,2\n");
        String script = """
                SET 'execution.runtime-mode' = 'batch';
                CREATE TABLE orders (id INT, product STRING, amount INT)
                  WITH ('connector' = 'filesystem', 'path' = '%s', 'format' = 'csv');
                CREATE TABLE totals (product STRING, total INT)
                  WITH ('connector' = 'filesystem', 'path' = '%s', 'format' = 'json');
                INSERT INTO totals SELECT product, SUM(amount) FROM orders GROUP BY product;
                """.formatted(files.resolve("orders.csv").toUri(), files.resolve("totals").toUri());
        String sqlRunner = flink.uploadJar(platform.repository.resolve("flink/sql-runner/target/slipway-flink-sql-runner-0.1.0-SNAPSHOT.jar")
                .toFile());
        String sql = flink.run(sqlRunner, SQL_RUNNER_CLASS, 1, List.of("--script", script));
        awaitFinished(flink, sql);
        assertThat(finishedLines(files.resolve("totals"))).containsExactlyInAnyOrder(
                "{\"product\":\"apples\",\"total\":7}", "{\"product\":\"pears\",\"total\":7}", "{\"product\":\"plums\",\"total\":1}");

        // CEP: two failed logins in a row, per user.
        String cep = flink.run(examples, REPEATED_FAILURES, 1, List.of("--n", "1200", "--users", "4"));
        awaitFinished(flink, cep);
        assertThat(flink.accumulator(cep, "alerts")).isEqualTo("400");

        // RocksDB with incremental checkpoints.
        String counts = flink.run(examples, Scenarios.KEYED_COUNTS, 2, List.of("--out", files.resolve("counts").toString(),
                "--rate", "200", "--checkpoint-ms", "500"), Map.of("state.backend.type", "rocksdb",
                "execution.checkpointing.incremental", "true"));
        await("checkpoints of " + counts).atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.completedCheckpoints(counts), completed -> completed >= 3);
        assertThat(flink.checkpointConfig(counts).getString("state_backend")).contains("RocksDB");
        flink.cancel(counts);
        await("job " + counts + " cancelled").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.jobState(counts), "CANCELED"::equals);
        Scenarios.assertCountsWithoutGapNorFreshStart(files.resolve("counts"));
    }

    private static void awaitFinished(FlinkRest flink, String job) {
        await("job " + job + " finished").atMost(WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> flink.jobState(job), state -> state.equals("FINISHED") || state.equals("FAILED"));
        assertThat(flink.jobState(job)).as("job " + job).isEqualTo("FINISHED");
    }

    /** The lines of every finished file under a directory (in-progress files start with a dot). */
    private static List<String> finishedLines(Path directory) throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                all.addAll(Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList());
            }
        }
        return all;
    }
}
