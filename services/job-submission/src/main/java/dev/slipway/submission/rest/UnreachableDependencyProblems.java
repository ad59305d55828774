package dev.slipway.submission.rest;

import dev.slipway.rest.problems.ProblemException;
import dev.slipway.rest.problems.ProblemMappers;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Something a request needs did not answer: PostgreSQL (restarting, failed over, unreachable) or a cluster's JobManager.
 * That is a 503 with Retry-After the caller can act on, not a 500: the service itself is fine and answers again as soon as
 * the dependency does (the connection pool reconnects on its own). Which one failed is said when it is the database.
 */
public class UnreachableDependencyProblems {

    private static final Logger LOG = Logger.getLogger(UnreachableDependencyProblems.class);
    /** A database restart or fail-over takes seconds; asking sooner only adds load. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** The database's host:port, from the reactive datasource URL; empty if it has none. */
    private final Optional<String> database = ConfigProvider.getConfig()
            .getOptionalValue("quarkus.datasource.reactive.url", String.class)
            .flatMap(UnreachableDependencyProblems::hostAndPort);

    @ServerExceptionMapper
    public Response unreachable(ConnectException e) {
        String message = String.valueOf(e.getMessage());
        boolean databaseDown = database.isPresent() && message.contains(database.get());
        LOG.warnf("a request could not reach %s: %s", databaseDown ? "the database" : "a dependency", message);
        String detail = databaseDown
                ? "the database (" + database.get() + ") is not reachable (" + message + "); nothing was changed; retry in a few seconds"
                : "a service this request needs is not reachable (" + message + "); retry in a few seconds";
        return ProblemMappers.response(ProblemException.unavailable(databaseDown ? "Database unavailable" : "Dependency unavailable",
                detail, RETRY_AFTER));
    }

    /** The database closed the connection under the request (it is shutting down or was restarted). */
    @ServerExceptionMapper
    public Response closed(ClosedConnectionException e) {
        LOG.warnf("the database closed a connection under a request: %s", e.getMessage());
        return ProblemMappers.response(ProblemException.unavailable("Database unavailable", "the database closed the"
                + " connection while the request was under way; the request may not have completed; retry in a few seconds",
                RETRY_AFTER));
    }

    /**
     * "postgresql://127.0.0.1:5432/slipway" -> "127.0.0.1:5432" (the address as connection errors name it); empty for a URL
     * with no single host (several hosts, a socket), whose failures are then named as a dependency's, not left unmapped.
     */
    static Optional<String> hostAndPort(String url) {
        try {
            URI uri = URI.create(url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url);
            return uri.getHost() == null ? Optional.empty()
                    : Optional.of(uri.getHost() + ":" + (uri.getPort() == -1 ? 5432 : uri.getPort()));
        } catch (IllegalArgumentException notAUri) {
            return Optional.empty();
        }
    }
}
