package dev.slipway.rest.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as application/problem+json, naming the field where there is one: the whole path
 * into the body ("elastic.maxTaskManagers") or the query parameter ("from"). Quarkus REST finds these
 * mappers in this jar because it carries META-INF/beans.xml; the app needs quarkus-rest-jackson and
 * quarkus-hibernate-validator.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final Pattern PART_LIMIT = Pattern.compile("Param limit of (\\d+) was exceeded");

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return response(e);
    }

    /** The answer to a ProblemException, for a service's own mappers too: problem+json, with its headers. */
    public static Response response(ProblemException e) {
        Response response = respond(e.problem());
        if (e.problem().status() == 401) {
            return Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
        }
        if (e.retryAfter().isPresent()) {
            long seconds = Math.max(1, e.retryAfter().get().toSeconds());
            return Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).build();
        }
        return response;
    }

    /** Quarkus' own violation type: mapped here too, or its more specific default mapper would answer plain JSON. */
    @ServerExceptionMapper
    public Response invalidParameters(ResteasyReactiveViolationException e) {
        return invalid(e);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(violation -> new Problem.FieldError(field(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return respond(ProblemException.invalid(errors).problem());
    }

    /** Quarkus maps these Jackson types itself (plain JSON) unless they are mapped here by their exact type. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unrecognized(UnrecognizedPropertyException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? path(mapping)
                : e instanceof StreamReadException read && read.getProcessor() != null
                        ? path(read.getProcessor().getParsingContext()) : "";
        String message = JsonErrorWords.of(e);
        List<Problem.FieldError> errors = field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, message));
        return respond(new Problem(Problem.BLANK, "Unreadable request body", 400, field.isEmpty() ? message : field + " " + message,
                errors));
    }

    @ServerExceptionMapper
    public Response unreadableBody(UnreadableBody e) {
        return unreadable(e.json());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            // The JSON reader wraps what the parser refuses (a number too large for its field) in a bare 400.
            return unreadable(json);
        }
        int status = e.getResponse().getStatus();
        return respond(new Problem(Problem.BLANK, e.getResponse().getStatusInfo().getReasonPhrase(), status, e.getMessage(),
                List.of()));
    }

    /**
     * The multipart parser stops at its limit of form parts with a bare RuntimeException ("Param limit of 1000 was exceeded"):
     * a 413 saying the limit. Any other exception nothing else maps is the service's: a 500 as problem+json, logged.
     */
    @ServerExceptionMapper
    public Response unmapped(RuntimeException e) {
        Matcher limit = PART_LIMIT.matcher(String.valueOf(e.getMessage()));
        if (limit.matches()) {
            return respond(new Problem(Problem.BLANK, "Too many form parts", 413, "a multipart form here has at most "
                    + limit.group(1) + " parts; send fewer (a job's arguments and dependencies are one part each)",
                    List.of(new Problem.FieldError("body", "more than " + limit.group(1) + " parts"))));
        }
        LOG.errorf(e, "a request failed");
        return respond(new Problem(Problem.BLANK, "Internal error", 500, "the service could not complete the request; it is"
                + " logged; try again", List.of()));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** "elastic.maxTaskManagers", "flinkConfiguration[rest.port]", "programArgs[2]". */
    static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (ref.getFrom() instanceof java.util.Map) {
                    path.append('[').append(ref.getFieldName()).append(']');
                } else {
                    path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                }
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The parser's position as a path: "taskManager.memoryMb", "args[2]". */
    static String path(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inObject() && at.getCurrentName() != null) {
                parts.add(0, "." + at.getCurrentName());
            } else if (at.inArray()) {
                parts.add(0, "[" + Math.max(0, at.getCurrentIndex()) + "]");
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    /** The property path without the method and parameter nodes: "count", not "request.body.count". */
    private static String field(ConstraintViolation<?> violation) {
        String field = null;
        for (Path.Node node : violation.getPropertyPath()) {
            field = node.getName();
        }
        return field;
    }
}
