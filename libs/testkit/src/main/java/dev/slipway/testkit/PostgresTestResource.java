package dev.slipway.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Quarkus test resource: points the app's datasource (reactive and JDBC) at the shared database. */
public final class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return datasource(SharedInfrastructure.database());
    }

    /** The app's datasource settings (reactive and JDBC) for {@code db}. */
    public static Map<String, String> datasource(DatabaseEndpoint db) {
        return Map.of(
                "quarkus.datasource.db-kind", "postgresql",
                "quarkus.datasource.reactive.url", db.reactiveUrl(),
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password(),
                "quarkus.datasource.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // The database is shared by the whole test run and stops at JVM exit.
    }
}
