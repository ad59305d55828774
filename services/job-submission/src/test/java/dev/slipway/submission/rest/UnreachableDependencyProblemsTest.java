package dev.slipway.submission.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which address a refused connection must name to be called the database's. */
class UnreachableDependencyProblemsTest {

    @Test
    void theDatabaseIsNamedByTheHostAndPortOfItsReactiveUrl() {
        assertThat(UnreachableDependencyProblems.hostAndPort("postgresql://127.0.0.1:44223/slipway")).contains("127.0.0.1:44223");
        assertThat(UnreachableDependencyProblems.hostAndPort("vertx-reactive:postgresql://db.internal/slipway"))
                .contains("db.internal:5432");
    }

    @Test
    void aUrlWithoutOneHostNamesNoDatabase() {
        assertThat(UnreachableDependencyProblems.hostAndPort("postgresql://db-1:5432,db-2:5432/slipway")).isEmpty();
        assertThat(UnreachableDependencyProblems.hostAndPort("postgresql:///slipway?host=/var/run/postgresql")).isEmpty();
        assertThat(UnreachableDependencyProblems.hostAndPort("not a url")).isEmpty();
    }
}
