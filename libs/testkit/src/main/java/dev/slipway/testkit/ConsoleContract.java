package dev.slipway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The web console's contract with one API: {@code contracts/src/test/resources/console-contract/<provider>.json}, what
 * the console sends and which fields of the answers it reads (the directory's README says how it is written). The console's
 * side (job-submission's {@code ConsoleScriptContractTest}) matches it with console.js; each provider's
 * {@code ConsoleContractTest} makes the requests against the real service and hands the answers to {@link #check}.
 */
public final class ConsoleContract {

    public static final Path DIRECTORY = Path.of("contracts", "src", "test", "resources", "console-contract");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String provider;
    private final List<Interaction> interactions;
    private final List<String> problemReads;

    /**
     * One request the console makes. {@code query} and {@code body} map a parameter (a body field, dotted when nested) to
     * the value the console always sends, or to null where the console computes it; {@code reads} are field paths of the
     * answer (of each event's data for a {@code stream}), a trailing {@code ?} where the console shows an absent field;
     * {@code values} are literals the console compares a field with.
     */
    public record Interaction(String provider, String name, String method, String path, String auth, Map<String, String> query,
            Map<String, String> body, int status, boolean stream, List<String> reads, Map<String, List<String>> values) {

        /** "GET /api/v1/jobs" with the placeholders' names left out, as a request is matched to it. */
        public String shape() {
            return method + " " + ConsoleContract.shape(path);
        }

        /** The path with each {@code {placeholder}} filled in; every one needs a value and every value a placeholder. */
        public String path(Map<String, String> values) {
            String filled = path;
            for (Map.Entry<String, String> value : values.entrySet()) {
                String placeholder = "{" + value.getKey() + "}";
                if (!filled.contains(placeholder)) {
                    throw new AssertionError(name + ": " + path + " has no " + placeholder);
                }
                filled = filled.replace(placeholder, value.getValue());
            }
            if (filled.contains("{")) {
                throw new AssertionError(name + ": no value for a placeholder of " + path + " (" + values.keySet() + ")");
            }
            return filled;
        }

        /**
         * The query parameters as the console sends them: its literal values, and for each parameter it computes the
         * caller's, which must name exactly those (null or "" where the console leaves the parameter out, as it does when
         * unset).
         */
        public Map<String, String> query(Map<String, String> computed) {
            return filled("query", query, computed);
        }

        /** The body as the console sends it (see {@link #query}): its literals, and the caller's values of the others. */
        public ObjectNode body(Map<String, Object> computed) {
            Map<String, Object> values = new LinkedHashMap<>(filled("body", body, computed));
            ObjectNode root = JSON.createObjectNode();
            for (Map.Entry<String, Object> field : values.entrySet()) {
                ObjectNode parent = root;
                String[] names = field.getKey().split("\\.");
                for (int i = 0; i < names.length - 1; i++) {
                    parent = parent.has(names[i]) ? (ObjectNode) parent.get(names[i]) : parent.putObject(names[i]);
                }
                parent.set(names[names.length - 1], JSON.valueToTree(field.getValue()));
            }
            return root;
        }

        private <T> Map<String, T> filled(String what, Map<String, String> recorded, Map<String, ? extends T> computed) {
            Set<String> expected = new TreeSet<>();
            recorded.forEach((key, literal) -> {
                if (literal == null) {
                    expected.add(key);
                }
            });
            if (!expected.equals(new TreeSet<>(computed.keySet()))) {
                throw new AssertionError(name + ": the console computes the " + what + " values " + expected + "; the test gave "
                        + new TreeSet<>(computed.keySet()));
            }
            Map<String, T> values = new LinkedHashMap<>();
            recorded.forEach((key, literal) -> {
                @SuppressWarnings("unchecked")
                T value = literal != null ? (T) literal : computed.get(key);
                if (value != null && !"".equals(value)) {
                    values.put(key, value);
                }
            });
            return values;
        }
    }

    private ConsoleContract(String provider, List<Interaction> interactions, List<String> problemReads) {
        this.provider = provider;
        this.interactions = interactions;
        this.problemReads = problemReads;
    }

    /** The providers with a contract file, by file name. */
    public static List<String> providers() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json"))
                    .map(name -> name.substring(0, name.length() - ".json".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ConsoleContract load(String provider) {
        try {
            JsonNode file = JSON.readTree(directory().resolve(provider + ".json").toFile());
            if (!provider.equals(file.path("provider").asText())) {
                throw new IllegalStateException(provider + ".json names the provider " + file.path("provider"));
            }
            List<Interaction> interactions = new ArrayList<>();
            for (JsonNode interaction : file.path("interactions")) {
                JsonNode request = interaction.path("request");
                JsonNode response = interaction.path("response");
                Map<String, List<String>> values = new LinkedHashMap<>();
                response.path("values").fields().forEachRemaining(field -> values.put(field.getKey(), texts(field.getValue())));
                interactions.add(new Interaction(provider, required(interaction, "name"), required(request, "method"),
                        required(request, "path"), required(request, "auth"), literals(request.path("query")),
                        literals(request.path("body")), response.path("status").asInt(), response.path("stream").asBoolean(),
                        texts(response.path("reads")), values));
            }
            JsonNode problem = file.path("problem");
            return new ConsoleContract(provider, List.copyOf(interactions), problem.isMissingNode() ? null : texts(problem.path("reads")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String provider() {
        return provider;
    }

    public List<Interaction> interactions() {
        return interactions;
    }

    public List<String> names() {
        return interactions.stream().map(Interaction::name).toList();
    }

    public Interaction interaction(String name) {
        return interactions.stream().filter(interaction -> interaction.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(provider + ".json has no interaction named '" + name + "'"));
    }

    /** The fields the console reads of the provider's problem answers, or null when the contract has none. */
    public List<String> problemReads() {
        return problemReads;
    }

    /** A path with its placeholders' names left out: {@code /api/v1/jobs/{id}} becomes {@code /api/v1/jobs/{}}. */
    public static String shape(String path) {
        return path.replaceAll("\\{[^}/]*}", "{}");
    }

    /**
     * {@link #check} of the answers to one interaction (of a stream: its events' data), with the schema of its answer in
     * the provider's OpenAPI document (of a stream: of its elements).
     */
    public static List<String> check(Interaction interaction, Collection<JsonNode> answers, JsonNode openApi) {
        JsonNode schema = answerSchema(openApi, interaction.method(), interaction.path(), interaction.status());
        if (interaction.stream() && schema != null) {
            schema = schema.has("items") ? schema.get("items") : null;
        }
        return check(interaction.provider() + " '" + interaction.name() + "'", interaction.reads(), interaction.values(), answers,
                schema, openApi);
    }

    /**
     * What is wrong with the answers the console reads with {@code reads}, empty when nothing: each field read without
     * {@code ?} is in every answer, on every element of the arrays on its way, and those arrays are not empty; each one
     * with {@code ?} is in at least one answer or, where the answers happen not to have it, in the answer's schema of
     * the provider's OpenAPI document ({@code schema}: null where it has none, as for event streams); each recorded value
     * is that field's in at least one answer.
     */
    public static List<String> check(String what, List<String> reads, Map<String, List<String>> values, Collection<JsonNode> answers,
            JsonNode schema, JsonNode openApi) {
        List<String> problems = new ArrayList<>();
        if (answers.isEmpty()) {
            problems.add(what + ": no answer to check");
            return problems;
        }
        for (String read : reads) {
            boolean optional = read.endsWith("?");
            List<String> steps = steps(optional ? read.substring(0, read.length() - 1) : read);
            if (!optional) {
                int index = 0;
                for (JsonNode answer : answers) {
                    String missing = missing(answer, steps, 0, "answer " + index++);
                    if (missing != null) {
                        problems.add(what + ": " + read + ": " + missing);
                        break;
                    }
                }
            } else if (answers.stream().noneMatch(answer -> !found(answer, steps, 0).isEmpty())) {
                String declared = schema == null ? "the provider's OpenAPI document has no schema of this answer"
                        : undeclared(schema, steps, 0, openApi);
                if (declared != null) {
                    problems.add(what + ": " + read + ": in none of the " + answers.size() + " answers, and " + declared);
                }
            }
        }
        values.forEach((read, literals) -> {
            List<String> seen = new ArrayList<>();
            answers.forEach(answer -> found(answer, steps(read), 0).forEach(node -> seen.add(node.asText())));
            for (String literal : literals) {
                if (!seen.contains(literal)) {
                    problems.add(what + ": " + read + ": the console compares it with '" + literal + "', which none of the "
                            + answers.size() + " answers has (" + new TreeSet<>(seen) + ")");
                }
            }
        });
        return problems;
    }

    /**
     * The schema of an operation's answer in an OpenAPI document, or null: the path matched by its shape, the first media type
     * of the status's answer.
     */
    public static JsonNode answerSchema(JsonNode openApi, String method, String path, int status) {
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = paths.next();
            if (shape(entry.getKey()).equals(shape(path))) {
                JsonNode content = entry.getValue().path(method.toLowerCase()).path("responses").path(String.valueOf(status))
                        .path("content");
                Iterator<JsonNode> media = content.elements();
                return media.hasNext() ? media.next().path("schema") : null;
            }
        }
        return null;
    }

    /** "pods[].name" as [pods, [], name]; "[].actions[]" as [[], actions, []]. */
    static List<String> steps(String read) {
        List<String> steps = new ArrayList<>();
        for (String part : read.split("\\.")) {
            String name = part;
            int elements = 0;
            while (name.endsWith("[]")) {
                name = name.substring(0, name.length() - 2);
                elements++;
            }
            if (!name.isEmpty()) {
                steps.add(name);
            }
            for (int i = 0; i < elements; i++) {
                steps.add("[]");
            }
        }
        return steps;
    }

    private static String missing(JsonNode node, List<String> steps, int step, String where) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return where + " is missing";
        }
        if (step == steps.size()) {
            return null;
        }
        if (steps.get(step).equals("[]")) {
            if (!node.isArray() || node.isEmpty()) {
                return where + " is " + (node.isArray() ? "an empty array" : "not an array: " + abbreviated(node));
            }
            for (int i = 0; i < node.size(); i++) {
                String missing = missing(node.get(i), steps, step + 1, where + "[" + i + "]");
                if (missing != null) {
                    return missing;
                }
            }
            return null;
        }
        if (!node.isObject()) {
            return where + " is not an object: " + abbreviated(node);
        }
        String missing = missing(node.get(steps.get(step)), steps, step + 1, where + "." + steps.get(step));
        return missing != null && missing.endsWith(" is missing") && step + 1 == steps.size()
                ? missing + " in " + abbreviated(node) : missing;
    }

    private static List<JsonNode> found(JsonNode node, List<String> steps, int step) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return List.of();
        }
        if (step == steps.size()) {
            return List.of(node);
        }
        List<JsonNode> found = new ArrayList<>();
        if (steps.get(step).equals("[]")) {
            node.forEach(element -> found.addAll(found(element, steps, step + 1)));
        } else {
            found.addAll(found(node.get(steps.get(step)), steps, step + 1));
        }
        return found;
    }

    /** Null when the schema declares the path, else why not. */
    private static String undeclared(JsonNode schema, List<String> steps, int step, JsonNode openApi) {
        if (step == steps.size()) {
            return null;
        }
        if (schema.path("$ref").asText().endsWith("/JsonNode")) {
            // Jackson's tree as a bean: its getters (isObject, textual, ...) are no fields of the JSON it holds.
            return "its schema has any JSON there (a JsonNode), which declares no fields";
        }
        JsonNode resolved = resolve(schema, openApi);
        List<JsonNode> alternatives = new ArrayList<>();
        for (String combination : List.of("allOf", "oneOf", "anyOf")) {
            resolved.path(combination).forEach(alternatives::add);
        }
        if (!alternatives.isEmpty()) {
            String why = null;
            for (JsonNode alternative : alternatives) {
                why = undeclared(alternative, steps, step, openApi);
                if (why == null) {
                    return null;
                }
            }
            return why;
        }
        if (steps.get(step).equals("[]")) {
            return resolved.has("items") ? undeclared(resolved.get("items"), steps, step + 1, openApi)
                    : "its schema declares no array where the path has one";
        }
        JsonNode property = resolved.path("properties").get(steps.get(step));
        return property == null ? "its schema does not declare '" + steps.get(step) + "' (" + resolved.path("properties").size()
                + " properties: " + toList(resolved.path("properties").fieldNames()) + ")"
                : undeclared(property, steps, step + 1, openApi);
    }

    private static JsonNode resolve(JsonNode schema, JsonNode openApi) {
        JsonNode resolved = schema;
        for (int hops = 0; resolved.has("$ref") && hops < 20; hops++) {
            String ref = resolved.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("a $ref outside the document: " + ref);
            }
            resolved = openApi.at(ref.substring(1));
        }
        return resolved;
    }

    private static List<String> toList(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static String abbreviated(JsonNode node) {
        String text = node.toString();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String required(JsonNode node, String field) {
        if (!node.hasNonNull(field)) {
            throw new IllegalStateException("a console contract entry without '" + field + "': " + node);
        }
        return node.get(field).asText();
    }

    private static Map<String, String> literals(JsonNode object) {
        Map<String, String> literals = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> literals.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().asText()));
        return literals;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return List.copyOf(texts);
    }

    /** The repository's root holds {@code contracts/}; tests run in their module's directory, below it. */
    public static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(DIRECTORY))) {
                return dir.resolve(DIRECTORY);
            }
        }
        throw new IllegalStateException("no " + DIRECTORY + " above " + Path.of("").toAbsolutePath());
    }
}
