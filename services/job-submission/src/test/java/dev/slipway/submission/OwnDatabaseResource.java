package dev.slipway.submission;

import dev.slipway.testkit.EmbeddedPostgresServer;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A PostgreSQL of the test class's own, which the test may stop and start again (the shared one serves every other class). */
public final class OwnDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgresServer server;

    static EmbeddedPostgresServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = EmbeddedPostgresServer.onRandomPort().start();
        return PostgresTestResource.datasource(server.endpoint());
    }

    /** After the shared resources, whose settings these replace for this class. */
    @Override
    public int order() {
        return 100;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
