package dev.slipway.flink.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.flink.sql.SqlScript.Kind;
import dev.slipway.flink.sql.SqlScript.Parsed;
import dev.slipway.flink.sql.SqlScript.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    private static final String WINDOWED = """
            -- generated orders, counted per product every 5 seconds
            SET 'pipeline.name' = 'orders per product';
            CREATE TABLE orders (
              product INT,
              amount BIGINT,
              ts AS LOCALTIMESTAMP,
              WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
            ) WITH ('connector' = 'datagen', 'rows-per-second' = '50', 'fields.product.min' = '0', 'fields.product.max' = '9');
            /* a sink that prints; the job's TaskManager log shows it */
            CREATE TABLE totals (product INT, window_start TIMESTAMP(3), orders BIGINT) WITH ('connector' = 'print');
            INSERT INTO totals
            SELECT product, window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '5' SECOND))
            GROUP BY product, window_start, window_end;
            """;

    @Test
    void aLongSetValueIsReadWithoutExhaustingTheStack() {
        String value = "x".repeat(200_000) + "''" + "y".repeat(50_000);
        Parsed parsed = SqlScript.parse("SET 'pipeline.name' = '" + value + "';\nINSERT INTO t SELECT 1;");

        assertTrue(parsed.valid(), parsed.errors().toString());
        assertEquals("x".repeat(200_000) + "'" + "y".repeat(50_000), parsed.statements().get(0).value());
    }

    @Test
    void splitsStatementsAndReadsTheirKindsAndLines() {
        Parsed parsed = SqlScript.parse(WINDOWED);

        assertTrue(parsed.valid(), parsed.errors().toString());
        assertEquals(List.of(Kind.SET, Kind.EXECUTE, Kind.EXECUTE, Kind.INSERT),
                parsed.statements().stream().map(Statement::kind).toList());
        assertEquals(List.of(2, 3, 10, 11), parsed.statements().stream().map(Statement::line).toList());
        Statement set = parsed.statements().get(0);
        assertEquals("pipeline.name", set.key());
        assertEquals("orders per product", set.value());
        assertTrue(parsed.statements().get(1).text().startsWith("CREATE TABLE orders ("));
        assertFalse(parsed.statements().get(2).text().contains("prints"), "comments are dropped");
    }

    @Test
    void semicolonsInsideStringsIdentifiersAndCommentsDoNotSplit() {
        Parsed parsed = SqlScript.parse("""
                CREATE TABLE `odd;name` (s STRING) WITH ('connector' = 'blackhole', 'x' = 'a;b''c'); -- end; really
                /* ; */ INSERT INTO `odd;name` SELECT 'it''s; fine'
                """);

        assertTrue(parsed.valid(), parsed.errors().toString());
        assertEquals(2, parsed.statements().size());
        assertTrue(parsed.statements().get(0).text().endsWith("'a;b''c')"));
        assertEquals("INSERT INTO `odd;name` SELECT 'it''s; fine'", parsed.statements().get(1).text());
        assertEquals(2, parsed.statements().get(1).line());
    }

    @Test
    void insertsOfAStatementSetBlockJoinTheJob() {
        Parsed parsed = SqlScript.parse("""
                CREATE TABLE a (x INT) WITH ('connector' = 'blackhole');
                CREATE TABLE b (x INT) WITH ('connector' = 'blackhole');
                EXECUTE STATEMENT SET BEGIN
                  INSERT INTO a VALUES (1);
                  INSERT INTO b VALUES (2);
                END;
                """);

        assertTrue(parsed.valid(), parsed.errors().toString());
        assertEquals(List.of("INSERT INTO a VALUES (1)", "INSERT INTO b VALUES (2)"),
                parsed.of(Kind.INSERT).stream().map(Statement::text).toList());
    }

    @Test
    void setValuesUnescapeDoubledQuotes() {
        Parsed parsed = SqlScript.parse("SET 'pipeline.name' = 'Bob''s job'; INSERT INTO t VALUES (1);");

        assertEquals("Bob's job", parsed.of(Kind.SET).get(0).value());
    }

    @Test
    void reportsWhatCannotRunWithItsLine() {
        assertEquals(List.of("the script is empty: write Flink SQL statements ending with ';'"), SqlScript.parse("  \n").errors());
        assertEquals(List.of("the script has no INSERT INTO: a SQL job runs its INSERT statements, and without one nothing would run"),
                SqlScript.parse("CREATE TABLE a (x INT) WITH ('connector' = 'datagen');").errors());
        assertEquals(List.of("line 2: the string opened with ' is never closed"),
                SqlScript.parse("INSERT INTO a VALUES (1);\nINSERT INTO a VALUES ('x);").errors());
        assertEquals(List.of("line 1: the comment /* is never closed with */"), SqlScript.parse("/* INSERT INTO a VALUES (1);").errors());
        assertEquals(List.of("line 2: a query's rows have nowhere to go in a job: INSERT INTO a sink table instead of 'SELECT ...'"),
                SqlScript.parse("INSERT INTO a VALUES (1);\nselect * from a;").errors());
        assertEquals(List.of("line 1: write a configuration entry as SET 'key' = 'value'; (both quoted), not 'SET parallelism.default = 2'"),
                SqlScript.parse("SET parallelism.default = 2; INSERT INTO a VALUES (1);").errors());
        assertEquals(List.of("line 2: only INSERT statements belong in a statement set, not 'CREATE TABLE b (x INT)'",
                        "the statement set is not closed: end it with END;"),
                SqlScript.parse("EXECUTE STATEMENT SET BEGIN INSERT INTO a VALUES (1);\nCREATE TABLE b (x INT);").errors());
        assertEquals(List.of("line 2: END without EXECUTE STATEMENT SET BEGIN"), SqlScript.parse("INSERT INTO a VALUES (1);\nEND;").errors());
    }

    @Test
    void theRunnerTakesTheScriptFromItsArguments() {
        assertEquals("INSERT INTO a VALUES (1)", SqlRunner.script(new String[] {"--script", "INSERT INTO a VALUES (1)"}));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SqlRunner.script(new String[] {"--other"}));
        assertTrue(missing.getMessage().startsWith("usage: SqlRunner --script"));
    }
}
