package dev.slipway.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EmbeddedPostgresExtension.class)
class EmbeddedPostgresServerTest {

    @Test
    void roundTripsRowsThroughSql(DatabaseEndpoint db) throws SQLException {
        String table = "clusters_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = connect(db); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (id TEXT PRIMARY KEY, slots INT NOT NULL)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
                insert.setString(1, "c-1");
                insert.setInt(2, 4);
                insert.executeUpdate();
                insert.setString(1, "c-2");
                insert.setInt(2, 2);
                insert.executeUpdate();
            }
            assertThat(rows(statement, "SELECT id || ':' || slots FROM " + table + " ORDER BY id")).containsExactly("c-1:4", "c-2:2");
            assertThat(rows(statement, "SELECT current_database()")).containsExactly(EmbeddedPostgresServer.DATABASE);
        }
        assertThat(db.reactiveUrl()).startsWith("postgresql://127.0.0.1:").endsWith("/slipway");
    }

    @Test
    void keepsItsDataAcrossARestart(@TempDir Path dir) throws SQLException {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.at(dir.resolve("pg"), 0).start()) {
            try (Connection connection = connect(server.endpoint()); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE durable (v TEXT)");
                statement.execute("INSERT INTO durable VALUES ('before-restart')");
            }
            server.stop();
            assertThat(Files.exists(dir.resolve("pg").resolve("PG_VERSION"))).isTrue();
            server.start();
            try (Connection connection = connect(server.endpoint()); Statement statement = connection.createStatement()) {
                assertThat(rows(statement, "SELECT v FROM durable")).containsExactly("before-restart");
            }
        }
    }

    private static Connection connect(DatabaseEndpoint db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }

    private static List<String> rows(Statement statement, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
