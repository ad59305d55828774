package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.submission.ConsoleScript.Helper;
import dev.slipway.submission.ConsoleScript.Request;
import dev.slipway.testkit.ConsoleContract;
import dev.slipway.testkit.ConsoleContract.Interaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console's side of {@code contracts/src/test/resources/console-contract/}: console.js makes exactly the requests
 * the contract lists (method, path, query, body, auth) and reads exactly the fields it lists of their answers, and of the
 * problems they may answer. Each provider's {@code ConsoleContractTest} makes the same requests against the real service.
 * How the script is read: {@link ConsoleScript}.
 */
class ConsoleScriptContractTest {

    static final Path CONSOLE = Path.of("src", "main", "resources", "META-INF", "resources", "console");

    /** The script's request helpers: the API each one calls and the token it sends, as their bodies are checked to do. */
    static final Map<String, Helper> HELPERS = Map.of(
            "api", new Helper("job-submission", "tenant", false),
            "tokenless", new Helper("job-submission", "none", false),
            "indexer", new Helper("log-metric-indexer", "reader", false),
            "scheduler", new Helper("resource-scheduler", "reader", false),
            "follow", new Helper("log-metric-indexer", "reader-access-token", true));

    private static String source;
    private static Map<String, ConsoleContract> contracts;
    private static ConsoleScript script;

    @BeforeAll
    static void read() throws IOException {
        source = Files.readString(CONSOLE.resolve("console.js"));
        contracts = new TreeMap<>();
        ConsoleContract.providers().forEach(provider -> contracts.put(provider, ConsoleContract.load(provider)));
        script = new ConsoleScript(source, HELPERS, ConsoleScriptContractTest::holdsFields);
    }

    @Test
    void theScriptIsReadWhole() {
        assertThat(script.problems()).as("what console.js does that this test cannot follow").isEmpty();
        assertThat(contracts.keySet()).as("the contract's providers").isEqualTo(Set.copyOf(HELPERS.values().stream().map(Helper::provider).toList()));
    }

    @Test
    void requestsLeaveOnlyThroughTheHelpersWithTheTokenTheirAuthSays() {
        // Only the helpers reach the network.
        assertThat(script.functionsContaining("fetch (")).containsExactlyInAnyOrder("api", "tokenless", "read");
        assertThat(count(source, "\\bfetch\\s*\\(")).as("fetch calls in console.js").isEqualTo(3);
        assertThat(script.functionsContaining("EventSource (")).containsExactly("follow");
        assertThat(count(source, "\\bEventSource\\s*\\(")).as("EventSources in console.js").isEqualTo(1);
        assertThat(source).doesNotContain("XMLHttpRequest", "WebSocket", "sendBeacon", "import(");

        // tenant: the signed-in tenant's token; reader: the cluster's reader token, as a header or (EventSource) as access_token.
        assertThat(script.body("api")).contains("'Authorization' : 'Bearer ' + state . token").contains("fetch ( address ( '' ,");
        assertThat(script.body("tokenless")).doesNotContain("Authorization").contains("fetch ( address ( '' ,");
        assertThat(script.body("read")).contains("'Authorization' : 'Bearer ' + state . readerToken");
        assertThat(script.body("indexer")).contains("read ( 'log-metric-indexer' , state . indexerUrl ,");
        assertThat(script.body("scheduler")).contains("read ( 'resource-scheduler' , state . schedulerUrl ,");
        assertThat(script.body("follow")).contains("new EventSource ( address ( state . indexerUrl ,")
                .contains("access_token : state . readerToken").doesNotContain("Authorization");
    }

    @Test
    void everyRequestIsInTheContractAndEveryInteractionIsMade() {
        List<String> mismatches = new ArrayList<>();
        Map<Interaction, List<Request>> made = made(mismatches);
        for (Map.Entry<Interaction, List<Request>> entry : made.entrySet()) {
            Interaction interaction = entry.getKey();
            for (Request request : entry.getValue()) {
                String where = "console.js line " + request.line() + ", " + interaction.provider() + " '" + interaction.name() + "'";
                String auth = HELPERS.get(request.helper()).auth();
                if (!auth.equals(interaction.auth())) {
                    mismatches.add(where + ": the console sends auth " + auth + ", the contract says " + interaction.auth());
                }
                if (!request.query().equals(new TreeMap<>(interaction.query()))) {
                    mismatches.add(where + ": the console's query " + request.query() + " (null: computed), the contract's "
                            + interaction.query());
                }
                if (!request.body().equals(new TreeMap<>(interaction.body()))) {
                    mismatches.add(where + ": the console's body " + request.body() + " (null: computed), the contract's "
                            + interaction.body());
                }
            }
        }
        for (ConsoleContract contract : contracts.values()) {
            for (Interaction interaction : contract.interactions()) {
                if (!made.containsKey(interaction)) {
                    mismatches.add(contract.provider() + ".json lists '" + interaction.name() + "' (" + interaction.shape()
                            + "), which console.js does not make");
                }
            }
        }
        assertThat(mismatches).as("console.js against the console contract").isEmpty();
    }

    @Test
    void theScriptReadsExactlyTheFieldsTheContractLists() {
        List<String> mismatches = new ArrayList<>();
        Map<Interaction, List<Request>> made = made(mismatches);
        Map<String, Set<String>> reads = script.reads();
        Map<String, Map<String, Set<String>>> comparisons = script.comparisons();
        for (Map.Entry<Interaction, List<Request>> entry : made.entrySet()) {
            Interaction interaction = entry.getKey();
            Set<String> read = new TreeSet<>();
            Map<String, Set<String>> compared = new TreeMap<>();
            for (Request request : entry.getValue()) {
                read.addAll(reads.getOrDefault(ConsoleScript.key(request), Set.of()));
                comparisons.getOrDefault(ConsoleScript.key(request), Map.of())
                        .forEach((path, literals) -> compared.computeIfAbsent(path, key -> new TreeSet<>()).addAll(literals));
            }
            String where = interaction.provider() + " '" + interaction.name() + "'";
            compare(where, ConsoleScript.leaves(read), interaction.reads(), mismatches);
            Map<String, Set<String>> recorded = new TreeMap<>();
            interaction.values().forEach((path, literals) -> recorded.put(path, new TreeSet<>(literals)));
            if (!compared.equals(recorded)) {
                mismatches.add(where + ": the console compares fields with " + compared + ", the contract records " + recorded);
            }
        }

        // Problems: what problemOf reads, of every provider whose helper hands it a refusal.
        Set<String> problemRead = reads.getOrDefault(ConsoleScript.PROBLEM, Set.of());
        List<String> readers = script.functionsContaining("problemOf (");
        Set<String> providersWithProblems = new TreeSet<>();
        for (Request request : script.requests()) {
            String body = script.body(request.helper());
            if (readers.contains(request.helper()) || readers.stream().anyMatch(reader -> body.contains(reader + " ("))) {
                providersWithProblems.add(HELPERS.get(request.helper()).provider());
            }
        }
        for (ConsoleContract contract : contracts.values()) {
            boolean readsProblems = providersWithProblems.contains(contract.provider());
            if (readsProblems && contract.problemReads() == null) {
                mismatches.add(contract.provider() + ".json has no problem, which the console reads of its refusals: " + problemRead);
            } else if (!readsProblems && contract.problemReads() != null) {
                mismatches.add(contract.provider() + ".json lists a problem, which the console never reads of it");
            } else if (readsProblems) {
                compare(contract.provider() + " problem", problemRead, contract.problemReads(), mismatches);
            }
        }
        assertThat(mismatches).as("what console.js reads against the console contract").isEmpty();
    }

    @Test
    void theConsolesOtherFilesMakeNoRequests() throws IOException {
        try (Stream<Path> files = Files.list(CONSOLE)) {
            for (Path file : files.toList()) {
                String text = Files.readString(file);
                if (file.getFileName().toString().equals("console.js")) {
                    continue;
                }
                assertThat(file.getFileName().toString()).as("a script besides console.js").doesNotEndWith(".js").doesNotEndWith(".mjs");
                assertThat(text).as(file.getFileName().toString()).doesNotContain("/api/", "fetch(", "EventSource");
                Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(text);
                while (scripts.find()) {
                    assertThat(scripts.group(1)).as("a script of " + file.getFileName()).isEqualTo(" src=\"console.js\"");
                }
            }
        }
    }

    /** Each request of the script with the interaction of its provider's contract it is, or a mismatch. */
    private static Map<Interaction, List<Request>> made(List<String> mismatches) {
        Map<Interaction, List<Request>> made = new LinkedHashMap<>();
        for (Request request : script.requests()) {
            Interaction interaction = interactionOf(ConsoleScript.key(request));
            if (interaction == null) {
                Helper helper = HELPERS.get(request.helper());
                mismatches.add("console.js line " + request.line() + ": " + request.shape() + (helper.stream() ? " (a stream)" : "")
                        + " through " + request.helper() + "(...) is not in " + helper.provider() + ".json");
            } else {
                made.computeIfAbsent(interaction, key -> new ArrayList<>()).add(request);
            }
        }
        return made;
    }

    /** The interaction of a request key ("helper METHOD path"): same provider, stream or not, method and path shape. */
    private static Interaction interactionOf(String key) {
        String[] parts = key.split(" ", 3);
        Helper helper = HELPERS.get(parts[0]);
        ConsoleContract contract = contracts.get(helper.provider());
        if (contract == null) {
            return null;
        }
        return contract.interactions().stream().filter(interaction -> interaction.stream() == helper.stream()
                && interaction.shape().equals(parts[1] + " " + parts[2])).findFirst().orElse(null);
    }

    /** Whether the contract knows fields under this path of the request's answer (the script must then follow it). */
    private static boolean holdsFields(String key, String path) {
        List<String> reads;
        if (key.equals(ConsoleScript.PROBLEM)) {
            reads = contracts.values().stream().filter(contract -> contract.problemReads() != null)
                    .flatMap(contract -> contract.problemReads().stream()).toList();
        } else {
            Interaction interaction = interactionOf(key);
            reads = interaction == null ? List.of() : interaction.reads();
        }
        return reads.stream().map(ConsoleScriptContractTest::withoutMark)
                .anyMatch(read -> !read.equals(path) && (path.isEmpty() || read.startsWith(path + ".") || read.startsWith(path + "[]")));
    }

    private static void compare(String where, Set<String> read, List<String> recorded, List<String> mismatches) {
        Set<String> listed = new TreeSet<>(recorded.stream().map(ConsoleScriptContractTest::withoutMark).toList());
        Set<String> notListed = new TreeSet<>(read);
        notListed.removeAll(listed);
        Set<String> notRead = new TreeSet<>(listed);
        notRead.removeAll(read);
        if (!notListed.isEmpty()) {
            mismatches.add(where + ": the console reads " + notListed + ", which the contract does not list");
        }
        if (!notRead.isEmpty()) {
            mismatches.add(where + ": the contract lists " + notRead + ", which the console does not read");
        }
    }

    private static String withoutMark(String read) {
        return read.endsWith("?") ? read.substring(0, read.length() - 1) : read;
    }

    private static int count(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
