package dev.slipway.rest.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The request limits answered as problem+json saying the limit, where the HTTP layer's own answers are empty:
 * <ul>
 * <li>a body whose declared length is over {@code quarkus.http.limits.max-body-size} is a 413, before any of it is read (a
 * client that asks {@code Expect: 100-continue}, as curl does for large uploads, never sends it);</li>
 * <li>a URL longer than {@value #MAX_URL_LENGTH} characters is a 414. The HTTP layer's own limit on the request line
 * ({@code quarkus.http.limits.max-initial-line-length}) is set above it in each service, so the service's own answers first.</li>
 * </ul>
 */
@ApplicationScoped
public class RequestLimits {

    /** The longest URL (path and query) a service reads; ids and filters fit many times over. */
    public static final int MAX_URL_LENGTH = 8192;

    /** Before the HTTP layer's own limit check (order -2). */
    private static final int ORDER = -3;

    private final Optional<MemorySize> limit;
    private final ObjectMapper json = new ObjectMapper();

    public RequestLimits(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        this.limit = limit;
    }

    void install(@Observes Router router) {
        long max = limit.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        router.route().order(ORDER).handler(context -> {
            int urlLength = context.request().uri().length();
            if (urlLength > MAX_URL_LENGTH) {
                respond(context, new Problem(Problem.BLANK, "URL too long", 414, "the URL is " + urlLength
                        + " characters; this service reads at most " + MAX_URL_LENGTH,
                        List.of(new Problem.FieldError("url", "longer than " + MAX_URL_LENGTH + " characters"))));
                return;
            }
            long declared = declaredLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH));
            if (declared > max) {
                respond(context, new Problem(Problem.BLANK, "Body too large", 413, "the body is " + declared
                        + " bytes; this service reads at most " + max + " (quarkus.http.limits.max-body-size)",
                        List.of(new Problem.FieldError("body", "larger than " + max + " bytes"))));
                return;
            }
            context.next();
        });
    }

    private void respond(RoutingContext context, Problem problem) {
        context.response().setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close").end(write(problem));
    }

    private static long declaredLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1; // the HTTP layer refuses a malformed length itself
        }
    }

    private String write(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
