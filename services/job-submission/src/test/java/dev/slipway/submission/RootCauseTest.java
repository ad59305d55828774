package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.submission.job.RootCause;
import org.junit.jupiter.api.Test;

/** The one line that says why: the deepest cause of a trace, of Flink's message, or of the last exception a log shows. */
class RootCauseTest {

    private static final String REFUSED_SQL = """
            org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: SQL validation failed.
            \tat org.apache.flink.client.program.PackagedProgram.callMainMethod(PackagedProgram.java:373)
            Caused by: org.apache.flink.table.api.ValidationException: SQL validation failed. From line 1, column 13
            \tat org.apache.flink.table.planner.calcite.FlinkPlannerImpl.validate(FlinkPlannerImpl.scala:200)
            Caused by: org.apache.calcite.sql.validate.SqlValidatorException: Object 'no_such_table' not found
            \t... 12 more
            """;

    @Test
    void theDeepestCausedByIsTheRootCause() {
        assertThat(RootCause.of(REFUSED_SQL)).isEqualTo("org.apache.calcite.sql.validate.SqlValidatorException: Object 'no_such_table' not found");
        assertThat(RootCause.of("java.lang.IllegalStateException: no TaskManager\n\tat x.y(Z.java:1)"))
                .as("no cause: the first line").isEqualTo("java.lang.IllegalStateException: no TaskManager");
        assertThat(RootCause.of(null)).isNull();
        assertThat(RootCause.of("x".repeat(900))).hasSize(500);
    }

    @Test
    void theRootCauseComesFirstOnce() {
        String first = RootCause.first(REFUSED_SQL);
        assertThat(first.lines().findFirst()).contains("org.apache.calcite.sql.validate.SqlValidatorException: Object 'no_such_table' not found");
        assertThat(first).endsWith(REFUSED_SQL);
        String plain = "java.lang.IllegalStateException: no TaskManager";
        assertThat(RootCause.first(plain)).isEqualTo(plain);
    }

    @Test
    void theLastExceptionOfALogAndItsDeepestCause() {
        String log = """
                2026-12-06 10:00:00,000 WARN  org.apache.flink.runtime.Something [] - an earlier trouble
                java.io.IOException: earlier
                \tat a.b(C.java:1)
                2026-12-06 10:00:05,000 ERROR org.apache.flink.runtime.rest.handler.AbstractHandler [] - Unhandled exception.
                java.util.concurrent.CompletionException: java.lang.NoClassDefFoundError: org/postgresql/Driver
                \tat java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:315)
                Caused by: java.lang.NoClassDefFoundError: org/postgresql/Driver
                \tat dev.slipway.flink.examples.MissingDriver.main(MissingDriver.java:17)
                Caused by: java.lang.ClassNotFoundException: org.postgresql.Driver
                \tat java.base/java.net.URLClassLoader.findClass(URLClassLoader.java:445)
                \t... 17 more
                2026-12-06 10:00:06,000 INFO  org.apache.flink.runtime.Other [] - later lines without an exception
                """;
        assertThat(RootCause.lastLogged(log)).isEqualTo("java.lang.ClassNotFoundException: org.postgresql.Driver");
        assertThat(RootCause.lastLogged("2026-12-06 INFO all is well\n")).isNull();
    }
}
