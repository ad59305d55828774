package dev.slipway.testkit;

/** Where a PostgreSQL database answers, in the two URL forms Quarkus wants. */
public record DatabaseEndpoint(String jdbcUrl, String username, String password) {

    /** {@code postgresql://host:port/db}, the form of quarkus.datasource.reactive.url. */
    public String reactiveUrl() {
        return jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring("jdbc:".length()) : jdbcUrl;
    }
}
