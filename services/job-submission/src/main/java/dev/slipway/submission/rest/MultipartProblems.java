package dev.slipway.submission.rest;

import dev.slipway.rest.problems.Problem;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A multipart body the server cannot parse (parts that do not match the boundary its header names, a body cut short) is the
 * client's fault: a 400 saying so, not the 500 the multipart parser's IOException was. A dependency that refuses the
 * connection is a 503 ({@link UnreachableDependencyProblems}); any other I/O failure of a request is the service's: a 500
 * as problem+json, its cause logged here and not shown.
 */
public class MultipartProblems {

    private static final Logger LOG = Logger.getLogger(MultipartProblems.class);

    @ServerExceptionMapper
    public Response io(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("multipart")) {
            Problem problem = new Problem(Problem.BLANK, "Unreadable multipart body", 400,
                    "the multipart body could not be read: its parts must be separated by the boundary its Content-Type names"
                            + " and end with --<boundary>--", List.of(new Problem.FieldError("body", "not a readable multipart form")));
            return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
        }
        LOG.errorf(e, "a request failed on I/O");
        Problem problem = new Problem(Problem.BLANK, "Internal error", 500, "the service could not complete the request (I/O);"
                + " it is logged; try again", List.of());
        return Response.status(500).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
