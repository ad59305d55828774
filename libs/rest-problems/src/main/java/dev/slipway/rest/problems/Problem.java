package dev.slipway.rest.problems;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** RFC 9457 problem details, with the fields that were wrong (dotted paths into the request body). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String BLANK = "about:blank";

    public record FieldError(String field, String message) {
    }
}
