package dev.slipway.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Quarkus test resource: points the app's datasource (reactive and JDBC) at the shared database. */
public final class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        DatabaseEndpoint db = SharedInfrastructure.database();
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
