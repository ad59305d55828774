package dev.slipway.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.e2e.Platform;
import dev.slipway.e2e.SubmissionPlatform;
import dev.slipway.testkit.BadInputs;
import dev.slipway.testkit.OpenApiDocument;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A bounded fuzzing run over the platform's JSON bodies, property-based: from a valid body of each operation (checked
 * against the operation's schema in the service's OpenAPI document first), a seeded generator applies one to three random
 * mutations (any field replaced by a random JSON value: strings of every kind of character and length, numbers at and
 * past every limit, nulls, arrays, objects, nestings thousands deep; fields removed, unknown fields added) or sends raw
 * text (a valid body cut short, random bytes). Each answer is classified; the properties that must hold for every input:
 * no 5xx, no connection dropped, every 4xx an {@code application/problem+json} that names no code ({@link BadInputs#LEAKS}),
 * and the services healthy at the end. Accepted inputs are counted too: a mutation may still be valid.
 *
 * <p>Run: {@code ./mvnw -B install -DskipTests && ./mvnw -B -pl loadtests exec:exec@fuzz [-Dfuzz.seconds=120 -Dfuzz.seed=7]}
 */
public final class InputFuzzer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TENANT = "Bearer e2e-tenant-token-0123456789";
    private static final String GHOST_CLUSTER = "fuzzghost";
    private static final String[] STRINGS = {"", " ", "a", "x".repeat(256), "\u0000", "a\u0000b", "\u0007", "\u001b[31m", "\t\r\n",
        "../../etc/passwd", "/tmp/../../root", "'; drop table jobs; --", "${jndi:ldap://x/a}", "%00", "%2e%2e%2f", "\uD83D\uDE00",
        "\u202Eevil", "\uFFFF", "\uD800", "名前", "NaN", "Infinity", "-1", "1e400", "true", "null", "{}", "[]", "<script>", "a,b,c",
        "SET 'rest.port' = '1'", "file:///etc/passwd", "s3://bucket/../x", "c-1", "CLUSTER", "x".repeat(70_000)};
    private static final String[] NUMBERS = {"0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "1" + "0".repeat(400), "1e308", "1e309", "-1e308", "0.5", "1e-320", "-0.0", "3.0", "1.9"};

    /** {@code validAnswers}: what the valid body itself is answered (a job for a cluster that does not exist: 404). */
    private record Target(String name, String method, String openApiPath, String url, Map<String, String> headers,
            ObjectNode valid, Set<Integer> validAnswers) {
    }

    private record Outcome(int status, String contentType, String body, String error) {
    }

    private InputFuzzer() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 120;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        boolean passed;
        // At most two clusters for the tenant: an input that happens to be a valid cluster starts a JobManager, no more.
        try (SubmissionPlatform platform = new SubmissionPlatform("fuzz", null,
                Map.of("slipway.job-submission.tenants.e2e.max-clusters", "2"))) {
            List<Target> targets = targets(platform);
            for (Target target : targets) {
                checkValid(target);
            }
            System.out.printf("== fuzzing %d operations for %d s, seed %d%n", targets.size(), seconds, seed);
            Random random = new Random(seed);
            Map<String, Map<String, Integer>> outcomes = new TreeMap<>();
            List<String> defects = new ArrayList<>();
            long inputs = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < deadline) {
                Target target = targets.get(random.nextInt(targets.size()));
                String body = mutated(target.valid, random);
                Outcome outcome = send(target, body);
                inputs++;
                String kind = classify(outcome);
                outcomes.computeIfAbsent(target.name, k -> new TreeMap<>()).merge(kind, 1, Integer::sum);
                if (kind.startsWith("DEFECT") && defects.size() < 20) {
                    defects.add(target.name + " " + kind + " " + shorten(outcome.body == null ? outcome.error : outcome.body)
                            + "\n      input: " + shorten(body));
                }
            }
            System.out.printf("%d inputs in %d s (%.0f/s)%n", inputs, seconds, inputs / (double) seconds);
            outcomes.forEach((name, counts) -> System.out.printf("  %-42s %s%n", name, counts));
            List<String> unhealthy = unhealthy(platform);
            System.out.println("services healthy afterwards: " + (unhealthy.isEmpty() ? "all" : "NOT " + unhealthy));
            defects.forEach(defect -> System.out.println("  " + defect));
            long total = outcomes.values().stream().mapToLong(counts -> counts.entrySet().stream()
                    .filter(entry -> entry.getKey().startsWith("DEFECT")).mapToLong(Map.Entry::getValue).sum()).sum();
            System.out.println(total == 0 && unhealthy.isEmpty() ? "PASS: every input answered as it should be"
                    : "FAIL: " + total + " defects");
            passed = total == 0 && unhealthy.isEmpty();
        }
        // After the platform is closed: exiting inside would leave its services and processes running.
        if (!passed) {
            System.exit(1);
        }
    }

    private static List<Target> targets(SubmissionPlatform platform) throws IOException {
        String submission = platform.submission().url();
        String scheduler = platform.platform.scheduler.url() + "/api/v1/clusters/" + GHOST_CLUSTER;
        ClusterTokens tokens = new ClusterTokens(Platform.SECRET);
        Map<String, String> tenant = Map.of("Authorization", TENANT);
        Map<String, String> resourceManager = Map.of("Authorization", "Bearer " + tokens.issue(GHOST_CLUSTER));
        Map<String, String> reader = Map.of("Authorization", "Bearer " + tokens.issueReader(GHOST_CLUSTER));
        return List.of(
                new Target("job-submission POST /api/v1/clusters", "POST", "/api/v1/clusters", submission + "/api/v1/clusters", tenant,
                        object("""
                                {"name":"fuzz","mode":"ELASTIC","flinkVersion":"2.2.0","jobManager":{"cpu":0.5,"memoryMb":1024},
                                 "taskManager":{"cpu":0.5,"memoryMb":1024},"slotsPerTaskManager":1,
                                 "elastic":{"warmPool":0,"maxTaskManagers":1,"idleTimeoutSeconds":30},
                                 "flinkConfiguration":{"pipeline.max-parallelism":"16"}}"""), Set.of(201)),
                // A cluster that does not exist: an input that is a valid job is answered, and runs nowhere.
                new Target("job-submission POST /api/v1/jobs", "POST", "/api/v1/jobs", submission + "/api/v1/jobs", tenant, object("""
                        {"type":"SQL","name":"fuzz","clusterId":"c0000000000000","parallelism":1,
                         "script":"CREATE TABLE s (x INT) WITH ('connector' = 'datagen'); INSERT INTO s SELECT 1;",
                         "flinkConfiguration":{"pipeline.max-parallelism":"16"},"dependencies":[]}"""), Set.of(404)),
                // A cluster the scheduler has no spec of: requests are read, checked and recorded, and start nothing.
                new Target("resource-scheduler POST resource-requests", "POST", "/api/v1/clusters/{clusterId}/resource-requests",
                        scheduler + "/resource-requests", resourceManager,
                        object("{\"requestId\":\"r-1\",\"count\":1,\"taskManager\":{\"cpu\":1,\"memoryMb\":1024,\"diskMb\":0}}"),
                        Set.of(202)),
                new Target("resource-scheduler POST releases", "POST", "/api/v1/clusters/{clusterId}/releases", scheduler + "/releases",
                        resourceManager, object("{\"podName\":\"" + GHOST_CLUSTER + "-tm-0\",\"reason\":\"idle\"}"), Set.of(202)),
                new Target("resource-scheduler POST replay", "POST", "/api/v1/clusters/{clusterId}/replay", scheduler + "/replay", reader,
                        object("{\"warmPool\":1,\"idleTimeoutSeconds\":30,\"maxTaskManagers\":4}"), Set.of(200)));
    }

    /**
     * The valid body must be one: its fields the schema's, and answered as valid once sent. A fuzzer starting from a body
     * the API refuses would only show that broken bodies are refused.
     */
    private static void checkValid(Target target) throws IOException, InterruptedException {
        String service = target.url.substring(0, target.url.indexOf("/api/"));
        JsonNode openApi = OpenApiDocument.of(service);
        List<BadInputs.Case> cases = BadInputs.cases(openApi, target.method, target.openApiPath, target.valid);
        JsonNode properties = BadInputs.schema(openApi, target.method, target.openApiPath).path("properties");
        target.valid.fieldNames().forEachRemaining(field -> {
            if (!properties.has(field)) {
                throw new IllegalStateException(target.name + ": the valid body's field " + field + " is not in the schema");
            }
        });
        Outcome answer = send(target, target.valid.toString());
        if (!target.validAnswers.contains(answer.status)) {
            throw new IllegalStateException(target.name + ": the valid body was answered " + answer.status + " " + answer.body);
        }
        System.out.printf("%-42s valid body of %d fields answered %d; %d generated bad-input cases beside the random ones%n",
                target.name, target.valid.size(), answer.status, cases.size());
    }

    private static String mutated(ObjectNode valid, Random random) {
        int choice = random.nextInt(20);
        if (choice == 0) {
            String text = valid.toString();
            return text.substring(0, random.nextInt(text.length())); // cut short
        }
        if (choice == 1) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        ObjectNode body = valid.deepCopy();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            mutate(body, random);
        }
        String text;
        try {
            text = body.toString();
        } catch (RuntimeException unwritable) {
            return valid.toString().replace("\"", "\"\u0000"); // a lone surrogate Jackson would not write: NULs instead
        }
        // Numbers no JSON writer produces, and nestings past any limit, go in as raw text at a placeholder.
        while (text.contains("\"#raw-number#\"")) {
            text = text.replaceFirst("\"#raw-number#\"", NUMBERS[random.nextInt(NUMBERS.length)]);
        }
        while (text.contains("\"#deep#\"")) {
            int depth = 10 + random.nextInt(3_000);
            text = text.replaceFirst("\"#deep#\"", "[".repeat(depth) + "]".repeat(depth));
        }
        return text;
    }

    private static void mutate(ObjectNode body, Random random) {
        List<ObjectNode> objects = new ArrayList<>();
        collect(body, objects);
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        int op = random.nextInt(10);
        if (op == 0 || names.isEmpty()) {
            target.set(randomString(random, 12), value(random, 0));
        } else if (op == 1) {
            target.remove(names.get(random.nextInt(names.size())));
        } else {
            target.set(names.get(random.nextInt(names.size())), value(random, 0));
        }
    }

    private static void collect(JsonNode node, List<ObjectNode> objects) {
        if (node instanceof ObjectNode object) {
            objects.add(object);
            Iterator<JsonNode> children = object.elements();
            children.forEachRemaining(child -> collect(child, objects));
        }
    }

    private static JsonNode value(Random random, int depth) {
        return switch (random.nextInt(depth > 2 ? 6 : 9)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.textNode("#raw-number#");
            case 3 -> NODES.textNode(STRINGS[random.nextInt(STRINGS.length)]);
            case 4 -> NODES.textNode(randomString(random, random.nextInt(40)));
            case 5 -> NODES.numberNode(random.nextInt(2_000) - 1_000);
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(value(random, depth + 1));
                }
                yield array;
            }
            case 7 -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(randomString(random, 8), value(random, depth + 1));
                }
                yield object;
            }
            default -> NODES.textNode("#deep#");
        };
    }

    /** Any UTF-16 units, control characters and lone surrogates included. */
    private static String randomString(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(4);
            text.append((char) (kind == 0 ? random.nextInt(0x20) : kind == 1 ? 0x20 + random.nextInt(0x5F) : random.nextInt(0x10000)));
        }
        return text.toString();
    }

    private static Outcome send(Target target, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url)).timeout(Duration.ofSeconds(30));
        if (target.method.equals("GET")) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").method(target.method, HttpRequest.BodyPublishers.ofString(body));
        }
        target.headers.forEach(request::header);
        try {
            HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Outcome(answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(""), answer.body(), null);
        } catch (IOException e) {
            return new Outcome(0, "", null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, "", null, "interrupted");
        }
    }

    private static String classify(Outcome outcome) {
        if (outcome.status == 0) {
            return "DEFECT connection";
        }
        if (outcome.status >= 500) {
            return "DEFECT " + outcome.status;
        }
        if (outcome.status < 400) {
            return "accepted " + outcome.status;
        }
        if (!outcome.contentType.startsWith("application/problem+json")) {
            return "DEFECT " + outcome.status + " not problem+json";
        }
        if (BadInputs.LEAKS.matcher(outcome.body).find()) {
            return "DEFECT " + outcome.status + " names code";
        }
        return "refused " + outcome.status;
    }

    private static List<String> unhealthy(SubmissionPlatform platform) {
        List<String> unhealthy = new ArrayList<>();
        for (String service : List.of(platform.submission().url(), platform.platform.scheduler.url(), platform.platform.provisioner.url())) {
            Outcome health = send(new Target("health", "GET", null, service + "/q/health/ready", Map.of(), null, Set.of(200)), "");
            if (health.status != 200) {
                unhealthy.add(service + " " + health.status);
            }
        }
        return unhealthy;
    }

    private static ObjectNode object(String json) throws IOException {
        return (ObjectNode) JSON.readTree(json);
    }

    private static String shorten(String text) {
        String flat = text == null ? "" : text.replace('\n', ' ');
        return flat.length() <= 240 ? flat : flat.substring(0, 240) + "...";
    }
}
