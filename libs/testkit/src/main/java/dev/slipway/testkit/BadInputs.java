package dev.slipway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A bad-input suite generated from a service's OpenAPI document: for an operation that takes a JSON body, every field of
 * its schema (nested objects included) is sent wrong in each way that is wrong whatever the field means — the wrong JSON
 * type, null where the schema requires a value, a NUL or another control character in a string, a string longer than the
 * schema's {@code maxLength}, a number outside its {@code minimum}/{@code maximum} or too large for any integer, a value
 * nested deeper than any reader takes — plus an unknown field beside it, a body that is not JSON, and a body of the wrong
 * JSON shape. Each case is a mutation of a valid body the test gives, so exactly one thing is wrong in it.
 *
 * <p>Each answer must be a 4xx {@code application/problem+json}, naming the field where one is at fault (the mutated field
 * or a field inside it), and must not name a Java class or a library ({@link #LEAKS}). Whether anything was stored or
 * published is the calling test's check, after {@link #failures}. The document comes from {@link OpenApiDocument}.
 */
public final class BadInputs {

    /** What an answer must not show: package names, exception classes, Jackson's internals. */
    public static final Pattern LEAKS = Pattern.compile(
            "(dev\\.slipway|com\\.fasterxml|java\\.|javax\\.|jakarta\\.|org\\.jboss|io\\.quarkus|io\\.vertx|Exception|JsonToken|"
                    + "StreamReadConstraints|\\bat [a-z]+\\.[a-z]+\\.)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int NESTING = 2_000;

    /** One bad body: {@code field} is the dotted path of what is wrong in it, or null when the body as a whole is. */
    public record Case(String description, String field, String body) {
    }

    private BadInputs() {
    }

    /**
     * The cases of operation {@code method} {@code path} (as the OpenAPI document names it, e.g. {@code POST
     * /api/v1/clusters}), from its JSON body's schema and a valid body of it.
     */
    public static List<Case> cases(JsonNode openApi, String method, String path, ObjectNode valid) {
        JsonNode schema = schema(openApi, method, path);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("a body that is not JSON", null, "{\"" + firstField(schema) + "\":"));
        cases.add(new Case("an array for the object", null, "[" + valid + "]"));
        cases.add(new Case("a string for the object", null, "\"" + firstField(schema) + "\""));
        object(openApi, schema, valid, "", valid, cases);
        return cases;
    }

    /** The schema of the JSON object operation {@code method} {@code path} takes as its body. */
    public static JsonNode schema(JsonNode openApi, String method, String path) {
        JsonNode operation = openApi.path("paths").path(path).path(method.toLowerCase());
        if (operation.isMissingNode()) {
            throw new AssertionError("the OpenAPI document has no " + method + " " + path);
        }
        JsonNode schema = resolve(openApi, operation.path("requestBody").path("content").path("application/json").path("schema"));
        if (schema.path("properties").isEmpty()) {
            throw new AssertionError(method + " " + path + " takes no JSON object in its OpenAPI document");
        }
        return schema;
    }

    /**
     * Sends each case with {@code headers} (the caller's valid token) to {@code url} and answers what went wrong, one line
     * per case; empty when every case was answered as it should be.
     */
    public static List<String> failures(String url, String method, Map<String, String> headers, List<Case> cases)
            throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (Case bad : cases) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(bad.body));
            headers.forEach(request::header);
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String problem = problem(bad, answer);
            if (problem != null) {
                failures.add(bad.description + (bad.field == null ? "" : " (" + bad.field + ")") + ": " + problem);
            }
        }
        return failures;
    }

    private static String problem(Case bad, HttpResponse<String> answer) throws IOException {
        int status = answer.statusCode();
        String body = answer.body();
        if (status < 400 || status >= 500) {
            return "answered " + status + " " + shorten(body);
        }
        if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            return "answered " + status + " as " + answer.headers().firstValue("Content-Type").orElse("no content type");
        }
        if (LEAKS.matcher(body).find()) {
            return "named code in its answer: " + shorten(body);
        }
        if (bad.field != null) {
            JsonNode errors = JSON.readTree(body).path("errors");
            boolean named = false;
            for (JsonNode error : errors) {
                String field = error.path("field").asText("");
                named |= field.equals(bad.field) || field.startsWith(bad.field + ".") || field.startsWith(bad.field + "[");
            }
            if (!named) {
                return "did not name " + bad.field + ": " + shorten(body);
            }
        }
        return null;
    }

    /** One bad query parameter value. */
    public record QueryCase(String description, String parameter, String value) {
    }

    /**
     * The cases of the query parameters of operation {@code method} {@code path}, from their schemas: a whole number that is
     * not one, a fraction, past any integer, below its minimum or above its maximum; a flag that is neither true nor false;
     * a time that is none; a value outside its pattern (an id outside the id grammar); a NUL or control character in any.
     */
    public static List<QueryCase> queryCases(JsonNode openApi, String method, String path) {
        JsonNode operation = openApi.path("paths").path(path).path(method.toLowerCase());
        if (operation.isMissingNode()) {
            throw new AssertionError("the OpenAPI document has no " + method + " " + path);
        }
        List<QueryCase> cases = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if (!"query".equals(parameter.path("in").asText())) {
                continue;
            }
            String name = parameter.path("name").asText();
            JsonNode schema = resolve(openApi, parameter.path("schema"));
            String type = type(schema, null);
            cases.add(new QueryCase("a NUL character", name, "a\u0000b"));
            cases.add(new QueryCase("a control character", name, "a\u0007b"));
            if ("integer".equals(type)) {
                cases.add(new QueryCase("not a number", name, "five"));
                cases.add(new QueryCase("a fraction", name, "1.5"));
                cases.add(new QueryCase("a number too large for any integer", name, "1" + "0".repeat(40)));
                if (schema.has("minimum")) {
                    cases.add(new QueryCase("below the minimum", name, Long.toString(schema.path("minimum").asLong() - 1)));
                }
                if (schema.has("maximum")) {
                    cases.add(new QueryCase("above the maximum", name, Long.toString(schema.path("maximum").asLong() + 1)));
                }
            } else if ("boolean".equals(type)) {
                cases.add(new QueryCase("neither true nor false", name, "maybe"));
            } else if ("date-time".equals(schema.path("format").asText())) {
                cases.add(new QueryCase("not a time", name, "yesterday"));
                cases.add(new QueryCase("a time past what a clock holds", name, "+999999999-12-31T23:59:59Z"));
            }
            if (schema.has("pattern")) {
                cases.add(new QueryCase("outside its pattern", name, "NOT_AN_ID"));
                cases.add(new QueryCase("a path outside its pattern", name, "../etc"));
            }
        }
        return cases;
    }

    /**
     * Sends each query case to {@code url} (the operation's path filled in) with {@code valid} parameters beside it and
     * answers what went wrong: each must be a 4xx problem+json naming the parameter and no code.
     */
    public static List<String> queryFailures(String url, String method, Map<String, String> headers, Map<String, String> valid,
            List<QueryCase> cases) throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        for (QueryCase bad : cases) {
            StringBuilder query = new StringBuilder();
            valid.forEach((name, value) -> {
                if (!name.equals(bad.parameter)) {
                    query.append(query.isEmpty() ? "?" : "&").append(encode(name)).append('=').append(encode(value));
                }
            });
            query.append(query.isEmpty() ? "?" : "&").append(encode(bad.parameter)).append('=').append(encode(bad.value));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + query)).timeout(Duration.ofSeconds(30))
                    .method(method, HttpRequest.BodyPublishers.noBody());
            headers.forEach(request::header);
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String problem = problem(new Case(bad.description, bad.parameter, ""), answer);
            if (problem != null) {
                failures.add(bad.description + " (" + bad.parameter + "=" + bad.value.replace("\u0000", "\\0") + "): " + problem);
            }
        }
        return failures;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Cases for each property of {@code schema}, the object at {@code prefix} of {@code root}. */
    private static void object(JsonNode openApi, JsonNode schema, ObjectNode root, String prefix, ObjectNode here, List<Case> cases) {
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        ObjectNode unknown = here.deepCopy();
        unknown.put("unknownField", 1);
        cases.add(new Case("an unknown field", prefix + "unknownField", with(root, prefix, unknown)));
        for (Map.Entry<String, JsonNode> property : fields(schema.path("properties"))) {
            String name = property.getKey();
            String field = prefix + name;
            JsonNode propertySchema = resolve(openApi, property.getValue());
            String type = type(propertySchema, here.get(name));
            if (type == null) {
                continue;
            }
            if (required.contains(name)) {
                cases.add(new Case("null for a required field", field, replaced(root, field, NODES.nullNode())));
            }
            cases.add(new Case("the wrong JSON type", field, replaced(root, field, wrongType(type))));
            cases.add(new Case("a value nested " + NESTING + " deep", field, replacedRaw(root, field, "[".repeat(NESTING)
                    + "]".repeat(NESTING))));
            switch (type) {
                case "string" -> {
                    cases.add(new Case("a NUL character", field, replaced(root, field, NODES.textNode("a\u0000b"))));
                    cases.add(new Case("a control character", field, replaced(root, field, NODES.textNode("a\u0007b"))));
                    if (propertySchema.has("maxLength")) {
                        cases.add(new Case("a string longer than maxLength", field,
                                replaced(root, field, NODES.textNode("a".repeat(propertySchema.path("maxLength").asInt() + 1)))));
                    }
                }
                case "integer", "number" -> {
                    cases.add(new Case("a number too large for any integer", field, replacedRaw(root, field, "1" + "0".repeat(40))));
                    if (propertySchema.has("minimum")) {
                        cases.add(new Case("a number below the minimum", field,
                                replaced(root, field, NODES.numberNode(propertySchema.path("minimum").asLong() - 1))));
                    }
                    if (propertySchema.has("maximum")) {
                        cases.add(new Case("a number above the maximum", field,
                                replaced(root, field, NODES.numberNode(propertySchema.path("maximum").asLong() + 1))));
                    }
                }
                case "object" -> {
                    if (here.get(name) instanceof ObjectNode nested && !propertySchema.path("properties").isEmpty()) {
                        object(openApi, propertySchema, root, field + ".", nested, cases);
                    }
                }
                default -> {
                    // booleans and arrays: the wrong type and the nesting above
                }
            }
        }
    }

    /** The property's JSON type: the schema's, or the valid body's where the schema names none. */
    private static String type(JsonNode schema, JsonNode example) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode option : type) {
                if (!option.asText().equals("null")) {
                    return option.asText();
                }
            }
        } else if (type.isTextual()) {
            return type.asText();
        }
        if (schema.has("properties")) {
            return "object";
        }
        if (schema.has("enum")) {
            return "string";
        }
        if (example == null || example.isNull()) {
            return null;
        }
        return example.isTextual() ? "string" : example.isIntegralNumber() ? "integer" : example.isNumber() ? "number"
                : example.isBoolean() ? "boolean" : example.isArray() ? "array" : "object";
    }

    /** A value no reader of {@code type} takes, without coercion. */
    private static JsonNode wrongType(String type) {
        return switch (type) {
            case "string" -> NODES.objectNode().put("not", "a string");
            case "integer", "number" -> NODES.textNode("five");
            case "boolean" -> NODES.textNode("maybe");
            case "array" -> NODES.objectNode().put("not", "an array");
            default -> NODES.arrayNode().add(1);
        };
    }

    private static JsonNode resolve(JsonNode openApi, JsonNode schema) {
        JsonNode current = schema;
        for (int hops = 0; hops < 10; hops++) {
            if (current.has("$ref")) {
                current = openApi.at(current.path("$ref").asText().substring(1));
            } else if (current.has("allOf") && current.path("allOf").size() == 1) {
                current = current.path("allOf").get(0);
            } else if (current.has("anyOf") || current.has("oneOf")) {
                JsonNode options = current.has("anyOf") ? current.path("anyOf") : current.path("oneOf");
                JsonNode chosen = current;
                for (JsonNode option : options) {
                    if (!"null".equals(option.path("type").asText())) {
                        chosen = option;
                        break;
                    }
                }
                if (chosen == current) {
                    return current;
                }
                current = chosen;
            } else {
                return current;
            }
        }
        return current;
    }

    private static String replaced(ObjectNode root, String field, JsonNode value) {
        ObjectNode copy = root.deepCopy();
        String[] names = field.split("\\.");
        ObjectNode parent = copy;
        for (int i = 0; i < names.length - 1; i++) {
            parent = (ObjectNode) parent.get(names[i]);
        }
        parent.set(names[names.length - 1], value);
        return copy.toString();
    }

    /** As {@link #replaced}, with raw JSON text (a number no JSON library would write, a deep nesting). */
    private static String replacedRaw(ObjectNode root, String field, String raw) {
        String marker = "\"slipway-bad-input-marker\"";
        return replaced(root, field, NODES.textNode("slipway-bad-input-marker")).replace(marker, raw);
    }

    /** The whole body with the object at {@code prefix} replaced by {@code object}. */
    private static String with(ObjectNode root, String prefix, ObjectNode object) {
        return prefix.isEmpty() ? object.toString() : replaced(root, prefix.substring(0, prefix.length() - 1), object);
    }

    private static String firstField(JsonNode schema) {
        return schema.path("properties").fieldNames().next();
    }

    private static String shorten(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        return () -> {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            return fields;
        };
    }

}
