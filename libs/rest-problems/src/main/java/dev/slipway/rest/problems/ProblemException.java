package dev.slipway.rest.problems;

import java.util.List;

/** An error answered as application/problem+json, with the fields at fault when there are any. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ProblemException(int status, String title, String detail) {
        this(status, Problem.BLANK, title, detail, List.of());
    }

    public ProblemException(int status, String type, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
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

    public Problem problem() {
        return new Problem(type, title, status, getMessage(), errors);
    }
}
