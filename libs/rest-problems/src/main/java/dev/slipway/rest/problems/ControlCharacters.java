package dev.slipway.rest.problems;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Control characters (NUL and the other C0 codes but tab, line feed and carriage return, and DEL) are never data the platform
 * takes: PostgreSQL refuses NUL in text, file systems refuse it in paths, and in logs they forge lines. They are refused where
 * they enter, in every service: in the request's path and query parameters (400 naming the parameter) and in every string of
 * a JSON body, keys included (400 naming the field), before anything reads them.
 */
@Singleton
public class ControlCharacters implements ObjectMapperCustomizer {

    static final String MESSAGE = "must not contain control characters (NUL, and C0 codes other than tab and line breaks)";

    /** The first control character's position, or -1. Tab, line feed and carriage return are text. */
    public static int find(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
                return i;
            }
        }
        return -1;
    }

    public static boolean present(CharSequence text) {
        return text != null && find(text) >= 0;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> refuseInPathOrQuery(ContainerRequestContext request) {
        if (present(request.getUriInfo().getPath(true))) {
            return Optional.of(invalid("path", "the request's path " + MESSAGE));
        }
        for (Map.Entry<String, List<String>> parameter : request.getUriInfo().getQueryParameters(true).entrySet()) {
            if (present(parameter.getKey()) || parameter.getValue().stream().anyMatch(ControlCharacters::present)) {
                String name = present(parameter.getKey()) ? "query" : parameter.getKey();
                return Optional.of(invalid(name, MESSAGE));
            }
        }
        return Optional.empty();
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("slipway-control-characters");
        module.addDeserializer(String.class, new CheckedStrings());
        module.addKeyDeserializer(String.class, new CheckedKeys());
        mapper.registerModule(module);
    }

    private static Response invalid(String field, String message) {
        Problem problem = new Problem(Problem.BLANK, "Invalid request", 400, field + " " + message,
                List.of(new Problem.FieldError(field, message)));
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** Strings of a JSON body; a refused one fails the read with its path (the field). */
    static final class CheckedStrings extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = super.deserialize(parser, context);
            if (present(value)) {
                // Its own words, not Jackson's (which would name Java types and echo the character back).
                throw MismatchedInputException.from(parser, String.class, MESSAGE);
            }
            return value;
        }
    }

    /** Keys of a JSON object read into a map. */
    static final class CheckedKeys extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            if (present(key)) {
                throw MismatchedInputException.from(context.getParser(), String.class, "a key " + MESSAGE);
            }
            return key;
        }
    }
}
