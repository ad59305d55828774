package dev.slipway.flink.sql;

import dev.slipway.flink.sql.SqlScript.Statement;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The program of every SQL job: {@code SqlRunner --script <Flink SQL>}. job-submission uploads this jar to
 * the cluster's JobManager and runs it there (Flink's {@code /jars/:id/run}), so planning happens in the
 * JobManager, with the platform's job id, parallelism and savepoint. SET entries configure the job, DDL
 * runs at once, and every INSERT goes into one statement set: one script, one Flink job.
 */
public final class SqlRunner {

    public static final String SCRIPT_ARGUMENT = "--script";

    private static final Logger LOG = LoggerFactory.getLogger(SqlRunner.class);

    private SqlRunner() {
    }

    public static void main(String[] args) throws Exception {
        String script = script(args);
        SqlScript.Parsed parsed = SqlScript.parse(script);
        if (!parsed.valid()) {
            throw new IllegalArgumentException("the SQL script cannot run:\n" + String.join("\n", parsed.errors()));
        }
        Configuration settings = new Configuration();
        for (Statement set : parsed.of(SqlScript.Kind.SET)) {
            settings.setString(set.key(), set.value());
        }
        // The context environment carries what the JobManager was given: job id, parallelism, savepoint.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(settings);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        settings.toMap().forEach((key, value) -> tables.getConfig().set(key, value));
        StatementSet inserts = tables.createStatementSet();
        for (Statement statement : parsed.statements()) {
            switch (statement.kind()) {
                case SET -> LOG.info("SQL job: SET '{}' = '{}'", statement.key(), statement.value());
                case EXECUTE -> {
                    LOG.info("SQL job, line {}: {}", statement.line(), firstLine(statement.text()));
                    tables.executeSql(statement.text());
                }
                case INSERT -> {
                    LOG.info("SQL job, line {}: {}", statement.line(), firstLine(statement.text()));
                    inserts.addInsertSql(statement.text());
                }
            }
        }
        inserts.execute();
    }

    static String script(String[] args) {
        for (int i = 0; i < args.length - 1; i++) {
            if (SCRIPT_ARGUMENT.equals(args[i])) {
                return args[i + 1];
            }
        }
        throw new IllegalArgumentException("usage: SqlRunner --script '<Flink SQL statements>'");
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end) + " …";
    }
}
