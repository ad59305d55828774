package dev.slipway.rest.problems;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** An error answered as application/problem+json, with the fields at fault when there are any. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Duration retryAfter;

    public ProblemException(int status, String title, String detail) {
        this(status, Problem.BLANK, title, detail, List.of());
    }

    public ProblemException(int status, String type, String title, String detail, List<Problem.FieldError> errors) {
        this(status, type, title, detail, errors, null);
    }

    private ProblemException(int status, String type, String title, String detail, List<Problem.FieldError> errors,
            Duration retryAfter) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfter = retryAfter;
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "Not found", "no " + what + " " + id);
    }

    public static ProblemException invalid(List<Problem.FieldError> errors) {
        return new ProblemException(400, Problem.BLANK, "Invalid request",
                errors.size() + " field" + (errors.size() == 1 ? " is" : "s are") + " not valid", errors);
    }

    /** One query parameter or field that is not valid: 400 naming it. */
    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    /**
     * 429: the service does this for a limited number of callers at once, all of them busy now; the answer's
     * {@code Retry-After} says when to ask again.
     */
    public static ProblemException tooManyRequests(String title, String detail, Duration retryAfter) {
        return new ProblemException(429, Problem.BLANK, title, detail, List.of(), retryAfter);
    }

    /**
     * 503: something the service depends on (the broker, the database) did not take the request now; the answer's
     * {@code Retry-After} says when to ask again, and the detail what was or was not recorded.
     */
    public static ProblemException unavailable(String title, String detail, Duration retryAfter) {
        return new ProblemException(503, Problem.BLANK, title, detail, List.of(), retryAfter);
    }

    /** For the {@code Retry-After} header, when there is one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public Problem problem() {
        return new Problem(type, title, status, getMessage(), errors);
    }
}
