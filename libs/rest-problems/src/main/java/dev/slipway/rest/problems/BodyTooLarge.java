package dev.slipway.rest.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body whose declared length is over the service's limit ({@code quarkus.http.limits.max-body-size}) is a 413 problem+json
 * saying the limit, before any of it is read; the HTTP layer's own answer to it is an empty 413. A client that asks
 * {@code Expect: 100-continue} (curl does for large uploads) gets it without sending the body at all.
 */
@ApplicationScoped
public class BodyTooLarge {

    /** Before the HTTP layer's own limit check (order -2). */
    private static final int ORDER = -3;

    private final Optional<MemorySize> limit;
    private final ObjectMapper json = new ObjectMapper();

    public BodyTooLarge(@ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit) {
        this.limit = limit;
    }

    void install(@Observes Router router) {
        if (limit.isEmpty()) {
            return;
        }
        long max = limit.get().asLongValue();
        router.route().order(ORDER).handler(context -> {
            long declared = declaredLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH));
            if (declared <= max) {
                context.next();
                return;
            }
            Problem problem = new Problem(Problem.BLANK, "Body too large", 413, "the body is " + declared + " bytes; this service"
                    + " reads at most " + max + " (quarkus.http.limits.max-body-size)",
                    List.of(new Problem.FieldError("body", "larger than " + max + " bytes")));
            context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close").end(write(problem));
        });
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
