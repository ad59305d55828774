package dev.slipway.submission;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The web console's script read as tokens: the requests it makes and the fields it reads of their answers, for
 * {@code ConsoleScriptContractTest}. The script keeps to a few forms, which this reads and nothing else:
 * <ul>
 * <li>every request goes through a helper ({@code api(method, path, query, body)}, {@code tokenless(path)},
 * {@code indexer(path, query)}, {@code scheduler(path, query)}, {@code follow(path, query, onEvent)}): the path a string or
 * template literal, the query and body object literals (a body may also be a {@code const} object of the same function,
 * with fields added as {@code body.name = ...});</li>
 * <li>an answer is taken as {@code const x = await helper(...)} or {@code const [x, y] = await Promise.all([helper(...),
 * helper(...)])}, or left unread ({@code await helper(...);}); a stream's events come to {@code follow}'s callback; the
 * problem of a refused request is {@code const problem = await response.json()} in {@code problemOf};</li>
 * <li>from a name that holds answer data: field chains ({@code a.b.c}, {@code a.b[i].c}), whose end is read; iterations
 * ({@code .map((y) => ...)}, {@code .filter}, {@code .forEach}, ..., {@code (a.b || []).map}, {@code for (const y of a.b)},
 * {@code a.b.map(someFunction)}); {@code const y = a.b} (or {@code || {}}); and a chain handed whole to a function of the
 * script, whose parameter then holds it.</li>
 * </ul>
 * Anything else done with answer data that holds fields the console reads elsewhere (returned, stored, handed to the
 * browser's functions) is a problem this reports, as is a name holding answer data declared a second time in the same
 * function: then the reads could not be followed. Names are scoped by the script's top-level function.
 */
final class ConsoleScript {

    /** A helper's API and how it authenticates: the contract's provider and auth; {@code stream} for server-sent events. */
    record Helper(String provider, String auth, boolean stream) {
    }

    /** A request as the script makes it; query and body map each name to its literal, or to null where computed. */
    record Request(String helper, int line, String method, String path, Map<String, String> query, Map<String, String> body) {

        /** The path with its variable parts as {@code {}}. */
        String shape() {
            return method + " " + path;
        }
    }

    /** A field of an answer the script reads: the request's key ({@code Request#key}, or {@link #PROBLEM}) and the path. */
    record Read(String request, String path) {
    }

    static final String PROBLEM = "problem";
    private static final Set<String> ITERATIONS = Set.of("map", "filter", "forEach", "some", "every", "find", "findLast", "flatMap",
            "reduce");
    /** Iterations whose result holds the same elements, so a further iteration goes over them. */
    private static final Set<String> KEEPING = Set.of("filter");
    private static final Set<String> DECLARING = Set.of("const", "let", "var");
    private static final Token NOTHING = new Token(Kind.PUNCT, "", 0);

    private final List<Token> tokens;
    private final Map<String, Helper> helpers;
    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    /** Per function: name to the answer data it holds (a request's key and a path); a name may hold several. */
    private final Map<String, Map<String, Set<Read>>> scopes = new HashMap<>();
    /** Token positions where a name is given answer data (not uses of it). */
    private final Set<Integer> bindingSites = new java.util.HashSet<>();
    private final Set<Read> reads = new LinkedHashSet<>();
    private final Map<Read, Set<String>> comparedWith = new LinkedHashMap<>();
    private final Set<String> problems = new LinkedHashSet<>();
    /** Whether a path of a request's answer holds fields the console reads, as the contract knows: such data must be followed. */
    private final java.util.function.BiPredicate<String, String> holdsFields;
    private boolean changed;

    private record Function(String name, List<String> parameters, int bodyStart, int bodyEnd) {
    }

    enum Kind { NAME, STRING, NUMBER, PUNCT, REGEX, TEMPLATE_START, TEMPLATE_CHUNK, SUBSTITUTION_START, SUBSTITUTION_END, TEMPLATE_END }

    record Token(Kind kind, String text, int line) {

        boolean is(String punctOrName) {
            return (kind == Kind.PUNCT || kind == Kind.NAME) && text.equals(punctOrName);
        }

        boolean opens() {
            return kind == Kind.TEMPLATE_START || kind == Kind.SUBSTITUTION_START || (kind == Kind.PUNCT && "([{".contains(text));
        }

        boolean closes() {
            return kind == Kind.TEMPLATE_END || kind == Kind.SUBSTITUTION_END || (kind == Kind.PUNCT && ")]}".contains(text));
        }
    }

    /**
     * Reads the script. {@code holdsFields} says whether a path of a request's answer ({@link Request} key, path) holds
     * fields the console reads (the contract's knowledge): data at such a path must be followed, not passed on.
     */
    ConsoleScript(String source, Map<String, Helper> helpers, java.util.function.BiPredicate<String, String> holdsFields) {
        this.tokens = new Lexer(source).tokens();
        this.helpers = helpers;
        this.holdsFields = holdsFields;
        findFunctions();
        findRequests();
        findProblem();
        // Bindings flow into other functions' parameters: until nothing new is bound, read every function again.
        for (int pass = 0; pass < 50; pass++) {
            changed = false;
            functions.values().forEach(this::follow);
            if (!changed) {
                break;
            }
        }
    }

    List<Request> requests() {
        return requests;
    }

    /** Every field read, per request key, without the paths that are only on the way to others (a guard, an array's length). */
    Map<String, Set<String>> reads() {
        Map<String, Set<String>> byRequest = new TreeMap<>();
        reads.forEach(read -> byRequest.computeIfAbsent(read.request(), key -> new TreeSet<>()).add(read.path()));
        byRequest.replaceAll((key, paths) -> leaves(paths));
        return byRequest;
    }

    /** Literals the script compares a field with: request key to path to the literals. */
    Map<String, Map<String, Set<String>>> comparisons() {
        Map<String, Map<String, Set<String>>> byRequest = new TreeMap<>();
        comparedWith.forEach((read, literals) -> byRequest.computeIfAbsent(read.request(), key -> new TreeMap<>())
                .computeIfAbsent(read.path(), key -> new TreeSet<>()).addAll(literals));
        return byRequest;
    }

    Set<String> problems() {
        return problems;
    }

    /** The names of the script's functions whose text holds {@code text} (whitespace as written). */
    List<String> functionsContaining(String text) {
        return functions.values().stream().filter(function -> source(function).contains(text)).map(Function::name).toList();
    }

    /** The text of a function's body, tokens joined by single spaces (strings quoted with '). */
    String body(String function) {
        Function found = functions.get(function);
        if (found == null) {
            throw new AssertionError("console.js has no function " + function);
        }
        return source(found);
    }

    static String key(Request request) {
        return request.helper() + " " + request.shape();
    }

    static Set<String> leaves(Set<String> paths) {
        Set<String> leaves = new TreeSet<>();
        for (String path : paths) {
            boolean onTheWay = paths.stream().anyMatch(other -> !other.equals(path)
                    && (path.isEmpty() || other.startsWith(path + ".") || other.startsWith(path + "[]")));
            if (!onTheWay) {
                leaves.add(path);
            }
        }
        return leaves;
    }

    static String field(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    // ---- the script's functions and requests ----

    private void findFunctions() {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = at(i);
            if (depth == 0 && token.is("function") && i + 2 < tokens.size() && at(i + 1).kind() == Kind.NAME
                    && at(i + 2).is("(")) {
                int close = matching(i + 2);
                List<String> parameters = new ArrayList<>();
                for (List<Integer> parameter : arguments(i + 2)) {
                    parameters.add(at(parameter.get(0)).text());
                }
                int open = close + 1;
                if (!at(open).is("{")) {
                    throw new IllegalStateException("function " + at(i + 1).text() + " without a body");
                }
                functions.put(at(i + 1).text(), new Function(at(i + 1).text(), parameters, open + 1, matching(open)));
                i = matching(open);
                continue;
            }
            if (token.opens()) {
                depth++;
            } else if (token.closes()) {
                depth--;
            }
        }
    }

    private void findRequests() {
        for (int i = 1; i < tokens.size() - 1; i++) {
            Token token = at(i);
            if (token.kind() != Kind.NAME || !helpers.containsKey(token.text()) || !at(i + 1).is("(")
                    || at(i - 1).is(".") || at(i - 1).is("function")) {
                continue;
            }
            Function in = enclosing(i);
            if (in == null) {
                problems.add("line " + token.line() + ": " + token.text() + "(...) outside a function");
                continue;
            }
            request(in, i);
        }
    }

    private void request(Function in, int call) {
        String helper = at(call).text();
        int line = at(call).line();
        List<List<Integer>> arguments = arguments(call + 1);
        int next = 0;
        String method = "GET";
        if (helper.equals("api")) {
            method = literal(arguments.get(next++));
            if (method == null) {
                problems.add("line " + line + ": api(...)'s method is not a string literal");
                return;
            }
        }
        String path = path(next < arguments.size() ? arguments.get(next++) : List.of());
        if (path == null) {
            problems.add("line " + line + ": " + helper + "(...)'s path is not a string or template literal");
            return;
        }
        Map<String, String> query = next < arguments.size() ? object(in, arguments.get(next++), false, line) : Map.of();
        Map<String, String> body = Map.of();
        List<Integer> callback = null;
        if (helper.equals("api") && next < arguments.size()) {
            body = object(in, arguments.get(next++), true, line);
        } else if (helpers.get(helper).stream() && next < arguments.size()) {
            callback = arguments.get(next++);
        }
        if (next < arguments.size()) {
            problems.add("line " + line + ": " + helper + "(...) with more arguments than this test reads");
        }
        if (query == null || body == null) {
            return; // object() said why
        }
        Request request = new Request(helper, line, method, path, query, body);
        requests.add(request);
        Read answer = new Read(key(request), "");
        if (helpers.get(helper).stream()) {
            if (callback == null || !bindCallback(in, callback, answer)) {
                problems.add("line " + line + ": follow(...)'s events go to something other than (event) => ... or a function of the script");
            }
            return;
        }
        bindAnswer(in, call, answer);
    }

    /** {@code const x = await h(...)}, a place in {@code const [x, y] = await Promise.all([...])}, or {@code await h(...);}. */
    private void bindAnswer(Function in, int call, Read answer) {
        int end = matching(call + 1);
        if (at(call - 1).is("await") && at(call - 2).is("=") && at(call - 3).kind() == Kind.NAME
                && DECLARING.contains(at(call - 4).text())) {
            bind(in, call - 3, answer);
            return;
        }
        if (at(call - 1).is("await") && (at(call - 2).is(";") || at(call - 2).is("{")
                || at(call - 2).is("}")) && at(end + 1).is(";")) {
            return; // not read
        }
        // An element of Promise.all([...]) whose answers are destructured.
        int open = enclosingOpener(call);
        if (open > 5 && at(open).is("[") && at(open - 1).is("(") && at(open - 2).is("all")
                && at(open - 3).is(".") && at(open - 4).is("Promise") && at(open - 5).is("await")
                && at(open - 6).is("=") && at(open - 7).is("]")) {
            int index = argumentIndex(open, call);
            int names = matching(open - 7, -1);
            List<List<Integer>> declared = arguments(names);
            if (DECLARING.contains(at(names - 1).text()) && index < declared.size() && declared.get(index).size() == 1) {
                bind(in, declared.get(index).get(0), answer);
                return;
            }
        }
        problems.add("line " + at(call).line() + ": the answer of " + at(call).text()
                + "(...) goes where this test cannot follow it (take it as const x = await ...)");
    }

    private boolean bindCallback(Function in, List<Integer> callback, Read data) {
        int first = callback.get(0);
        if (at(first).is("(") && at(first + 1).kind() == Kind.NAME && at(first + 2).is(")")
                && at(first + 3).is("=>")) {
            bind(in, first + 1, data);
            return true;
        }
        if (at(first).kind() == Kind.NAME && at(first + 1).is("=>")) {
            bind(in, first, data);
            return true;
        }
        if (callback.size() == 1 && functions.containsKey(at(first).text())) {
            return bindParameter(at(first).text(), 0, data);
        }
        return false;
    }

    /** {@code const problem = await response.json()} in problemOf: what the console reads of any problem answer. */
    private void findProblem() {
        Function problemOf = functions.get("problemOf");
        if (problemOf == null) {
            problems.add("console.js has no function problemOf");
            return;
        }
        for (int i = problemOf.bodyStart(); i < problemOf.bodyEnd() - 6; i++) {
            if (DECLARING.contains(at(i).text()) && at(i + 1).kind() == Kind.NAME && at(i + 2).is("=")
                    && at(i + 3).is("await") && at(i + 4).is("response") && at(i + 5).is(".")
                    && at(i + 6).is("json")) {
                bind(problemOf, i + 1, new Read(PROBLEM, ""));
                return;
            }
        }
        problems.add("problemOf does not take the problem as const problem = await response.json()");
    }

    // ---- following answer data ----

    private void follow(Function function) {
        Map<String, Set<Read>> scope = scopes.getOrDefault(function.name(), Map.of());
        for (int i = function.bodyStart(); i < function.bodyEnd(); i++) {
            Token token = at(i);
            if (token.kind() != Kind.NAME || !scope.containsKey(token.text()) || at(i - 1).is(".")
                    || at(i - 1).is("?.") || bindingSites.contains(i)) {
                continue;
            }
            if (declares(i)) {
                problems.add("line " + token.line() + ": " + token.text() + " holds answer data in " + function.name()
                        + " and is declared again there: rename one");
                continue;
            }
            if (at(i + 1).is(":") && (at(i - 1).is("{") || at(i - 1).is(","))) {
                continue; // an object literal's key
            }
            for (Read holds : Set.copyOf(scope.get(token.text()))) {
                chain(function, i, holds);
            }
        }
    }

    /** The chain starting at the name at {@code start}, which holds {@code holds}. */
    private void chain(Function function, int start, Read holds) {
        String path = holds.path();
        int j = start + 1;
        while (true) {
            if ((at(j).is(".") || at(j).is("?.")) && at(j + 1).kind() == Kind.NAME) {
                String name = at(j + 1).text();
                if (at(j + 2).is("(")) {
                    if (ITERATIONS.contains(name)) {
                        read(holds, path);
                        iterate(function, j + 2, new Read(holds.request(), path + "[]"), name);
                    } else {
                        readScalar(holds, path, start, name + "(...)");
                    }
                    return;
                }
                if (name.equals("length")) {
                    read(holds, path); // an array's length: the array is read
                    return;
                }
                path = field(path, name);
                j += 2;
            } else if (at(j).is("[")) {
                read(holds, path);
                path = path + "[]";
                j = matching(j) + 1;
            } else {
                break;
            }
        }
        Read data = new Read(holds.request(), path);
        Token before = at(start - 1);
        Token after = at(j);
        // const y = a.b;   const y = a.b || {};
        if (before.is("=") && at(start - 2).kind() == Kind.NAME && DECLARING.contains(at(start - 3).text())
                && (after.is(";") || (after.is("||") && (at(j + 1).is("{") || at(j + 1).is("["))
                && at(j + 2).closes() && at(j + 3).is(";")))) {
            bind(function, start - 2, data);
            return;
        }
        // (a.b || []).map((y) => ...)
        if (before.is("(") && after.is("||") && at(j + 1).is("[") && at(j + 2).is("]") && at(j + 3).is(")")
                && at(j + 4).is(".") && ITERATIONS.contains(at(j + 5).text()) && at(j + 6).is("(")) {
            read(holds, path);
            iterate(function, j + 6, new Read(holds.request(), path + "[]"), at(j + 5).text());
            return;
        }
        // for (const y of a.b) / for (const y of a.b || [])
        if (before.is("of") && at(start - 2).kind() == Kind.NAME && DECLARING.contains(at(start - 3).text())
                && at(start - 4).is("(") && at(start - 5).is("for")
                && (after.is(")") || (after.is("||") && at(j + 1).is("[") && at(j + 2).is("]")
                && at(j + 3).is(")")))) {
            read(holds, path);
            bind(function, start - 2, new Read(holds.request(), path + "[]"));
            return;
        }
        // handed whole to a function of the script: f(x, a.b)
        if ((before.is("(") || before.is(",")) && (after.is(",") || after.is(")"))) {
            int open = enclosingOpener(start);
            if (open > 0 && at(open).is("(") && at(open - 1).kind() == Kind.NAME
                    && functions.containsKey(at(open - 1).text()) && !at(open - 2).is(".")
                    && !at(open - 2).is("function")) {
                read(holds, path);
                bindParameter(at(open - 1).text(), argumentIndex(open, start), data);
                return;
            }
        }
        // compared with a literal: a.b === 'x'
        if ((after.is("===") || after.is("==") || after.is("!==") || after.is("!=")) && at(j + 1).kind() == Kind.STRING) {
            comparedWith.computeIfAbsent(data, key -> new TreeSet<>()).add(at(j + 1).text());
        }
        // a guard: a.b && ..., a.b ? ... : ..., !a.b
        boolean guard = after.is("&&") || after.is("?") || before.is("!");
        if (guard) {
            read(holds, path);
        } else {
            readScalar(holds, path, start, null);
        }
    }

    /** The iteration whose call opens at {@code open} over {@code element}s: its callback's parameter holds one. */
    private void iterate(Function function, int open, Read element, String iteration) {
        int first = open + 1;
        boolean bound;
        if (at(first).is("(") && at(first + 1).kind() == Kind.NAME
                && (at(first + 2).is(")") || at(first + 2).is(",")) && at(matching(first) + 1).is("=>")) {
            bind(function, first + 1, element);
            bound = true;
        } else if (at(first).kind() == Kind.NAME && at(first + 1).is("=>")) {
            bind(function, first, element);
            bound = true;
        } else if (at(first).kind() == Kind.NAME && at(first + 1).is(")") && functions.containsKey(at(first).text())) {
            bound = bindParameter(at(first).text(), 0, element);
        } else {
            bound = false;
        }
        if (!bound || iteration.equals("reduce")) {
            problems.add("line " + at(open).line() + ": ." + iteration + "(...) over " + element.path()
                    + " takes something other than (x) => ... or a function of the script");
            return;
        }
        int close = matching(open);
        if (KEEPING.contains(iteration) && at(close + 1).is(".") && ITERATIONS.contains(at(close + 2).text())
                && at(close + 3).is("(")) {
            iterate(function, close + 3, element, at(close + 2).text());
        }
    }

    /** A value read where it stands; if the contract knows fields under it, they are read where this test cannot see. */
    private void readScalar(Read holds, String path, int at, String how) {
        read(holds, path);
        if (holdsFields.test(holds.request(), path)) {
            problems.add("line " + at(at).line() + ": " + (path.isEmpty() ? "the answer" : path) + " of " + holds.request()
                    + (how == null ? " is passed on" : " is used with " + how) + " where this test cannot follow the fields read of it");
        }
    }

    private void read(Read holds, String path) {
        reads.add(new Read(holds.request(), path));
    }

    private void bind(Function function, int at, Read data) {
        bindingSites.add(at);
        if (scopes.computeIfAbsent(function.name(), key -> new HashMap<>()).computeIfAbsent(at(at).text(), key -> new LinkedHashSet<>())
                .add(data)) {
            changed = true;
        }
    }

    private boolean bindParameter(String name, int index, Read data) {
        Function callee = functions.get(name);
        if (index >= callee.parameters().size()) {
            return false;
        }
        if (scopes.computeIfAbsent(name, key -> new HashMap<>()).computeIfAbsent(callee.parameters().get(index), key -> new LinkedHashSet<>())
                .add(data)) {
            changed = true;
        }
        return true;
    }

    /** Whether the name at {@code i} is declared there: after const/let/var, in catch (...), or as an arrow's parameter. */
    private boolean declares(int i) {
        Token before = at(i - 1);
        if (DECLARING.contains(before.text()) && before.kind() == Kind.NAME) {
            return true;
        }
        if (before.is("(") && at(i - 2).is("catch")) {
            return true;
        }
        if (at(i + 1).is("=>")) {
            return true;
        }
        if ((before.is("(") || before.is(",")) && (at(i + 1).is(")") || at(i + 1).is(","))) {
            int open = enclosingOpener(i);
            return open > 0 && at(open).is("(") && at(matching(open) + 1).is("=>");
        }
        return false;
    }

    // ---- literals and object literals ----

    private String literal(List<Integer> argument) {
        if (argument.size() == 1 && (at(argument.get(0)).kind() == Kind.STRING || at(argument.get(0)).kind() == Kind.NUMBER)) {
            return at(argument.get(0)).text();
        }
        return null;
    }

    /** A string literal as is; a template literal with {} for each substitution; null for anything else. */
    private String path(List<Integer> argument) {
        if (argument.isEmpty()) {
            return null;
        }
        Token first = at(argument.get(0));
        if (argument.size() == 1 && first.kind() == Kind.STRING) {
            return first.text();
        }
        if (first.kind() != Kind.TEMPLATE_START || matching(argument.get(0)) != argument.get(argument.size() - 1)) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (int i = argument.get(0) + 1; i < argument.get(argument.size() - 1); i++) {
            Token token = at(i);
            if (token.kind() == Kind.TEMPLATE_CHUNK) {
                path.append(token.text());
            } else if (token.kind() == Kind.SUBSTITUTION_START) {
                path.append("{}");
                i = matching(i);
            }
        }
        return path.toString();
    }

    /**
     * An object literal's names to their literal values (null where computed), nested objects' names dotted when
     * {@code nested}; a name of the same function holding a {@code const} object literal, with its {@code name.x = ...}
     * assignments. A problem (and null) when it is anything else.
     */
    private Map<String, String> object(Function in, List<Integer> argument, boolean nested, int line) {
        Map<String, String> fields = new TreeMap<>();
        if (argument.size() == 1 && at(argument.get(0)).kind() == Kind.NAME) {
            String name = at(argument.get(0)).text();
            int declared = -1;
            for (int i = in.bodyStart(); i < in.bodyEnd() - 3; i++) {
                if (at(i).is("const") && at(i + 1).is(name) && at(i + 2).is("=") && at(i + 3).is("{")) {
                    declared = i + 3;
                }
            }
            if (declared < 0) {
                problems.add("line " + line + ": " + name + " is not a const object literal of " + in.name());
                return null;
            }
            if (!entries(declared, "", nested, fields, line)) {
                return null;
            }
            for (int i = in.bodyStart(); i < in.bodyEnd() - 3; i++) {
                if (at(i).is(name) && !at(i - 1).is(".") && at(i + 1).is(".") && at(i + 2).kind() == Kind.NAME
                        && at(i + 3).is("=")) {
                    fields.put(at(i + 2).text(), null);
                }
            }
            return fields;
        }
        if (argument.isEmpty() || !at(argument.get(0)).is("{") || matching(argument.get(0)) != argument.get(argument.size() - 1)) {
            problems.add("line " + line + ": a query or body that is not an object literal");
            return null;
        }
        return entries(argument.get(0), "", nested, fields, line) ? fields : null;
    }

    /** Adds the object literal's entries to {@code fields}; false (a problem said why) when one is not read. */
    private boolean entries(int open, String prefix, boolean nested, Map<String, String> fields, int line) {
        for (List<Integer> entry : arguments(open)) {
            Token first = at(entry.get(0));
            if (entry.size() == 1 && first.kind() == Kind.NAME) {
                fields.put(prefix + first.text(), null); // { name } is { name: name }
            } else if (entry.size() >= 3 && (first.kind() == Kind.NAME || first.kind() == Kind.STRING) && at(entry.get(1)).is(":")) {
                List<Integer> value = entry.subList(2, entry.size());
                if (nested && at(value.get(0)).is("{") && matching(value.get(0)) == value.get(value.size() - 1)) {
                    if (!entries(value.get(0), prefix + first.text() + ".", true, fields, line)) {
                        return false;
                    }
                } else {
                    fields.put(prefix + first.text(), literal(value));
                }
            } else {
                problems.add("line " + line + ": an entry of an object literal this test does not read (a spread?)");
                return false;
            }
        }
        return true;
    }

    // ---- token positions ----

    private Function enclosing(int i) {
        return functions.values().stream().filter(function -> function.bodyStart() <= i && i < function.bodyEnd()).findFirst()
                .orElse(null);
    }

    /** The token closing the one that opens at {@code open} (direction 1), or opening the one that closes there (-1). */
    private int matching(int at, int direction) {
        int depth = 0;
        for (int i = at; i >= 0 && i < tokens.size(); i += direction) {
            Token token = at(i);
            if (direction > 0 ? token.opens() : token.closes()) {
                depth++;
            } else if (direction > 0 ? token.closes() : token.opens()) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("unbalanced brackets from line " + at(at).line());
    }

    private int matching(int open) {
        return matching(open, 1);
    }

    /** The opening bracket around {@code i}, or -1. */
    private int enclosingOpener(int i) {
        int depth = 0;
        for (int k = i - 1; k >= 0; k--) {
            if (at(k).closes()) {
                depth++;
            } else if (at(k).opens()) {
                if (depth == 0) {
                    return k;
                }
                depth--;
            }
        }
        return -1;
    }

    /** Which argument (0, 1, ...) of the list opening at {@code open} holds the token at {@code i}. */
    private int argumentIndex(int open, int i) {
        List<List<Integer>> arguments = arguments(open);
        for (int index = 0; index < arguments.size(); index++) {
            if (arguments.get(index).contains(i)) {
                return index;
            }
        }
        throw new IllegalStateException("token " + i + " is in no argument");
    }

    /** The comma-separated parts between the bracket at {@code open} and its match, as token positions; empty parts left out. */
    private List<List<Integer>> arguments(int open) {
        int close = matching(open);
        List<List<Integer>> arguments = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int depth = 0;
        for (int i = open + 1; i < close; i++) {
            Token token = at(i);
            if (depth == 0 && token.is(",")) {
                if (!current.isEmpty()) {
                    arguments.add(current);
                }
                current = new ArrayList<>();
                continue;
            }
            if (token.opens()) {
                depth++;
            } else if (token.closes()) {
                depth--;
            }
            current.add(i);
        }
        if (!current.isEmpty()) {
            arguments.add(current);
        }
        return arguments;
    }

    /** The token at {@code i}, or a token that is nothing where {@code i} is outside the script. */
    private Token at(int i) {
        return i >= 0 && i < tokens.size() ? tokens.get(i) : NOTHING;
    }

    private String source(Function function) {
        StringBuilder text = new StringBuilder();
        for (int i = function.bodyStart(); i < function.bodyEnd(); i++) {
            Token token = at(i);
            text.append(token.kind() == Kind.STRING ? "'" + token.text() + "'" : token.text()).append(' ');
        }
        return text.toString();
    }

    // ---- tokens ----

    /** JavaScript's tokens as far as the console uses them: names, numbers, strings, template literals, regular expressions. */
    static final class Lexer {
        private static final List<String> PUNCTUATION = List.of("===", "!==", "...", "**=", "=>", "==", "!=", "<=", ">=", "&&", "||",
                "??", "?.", "++", "--", "+=", "-=", "*=", "/=");
        private static final Set<String> BEFORE_EXPRESSION = Set.of("return", "typeof", "case", "do", "else", "in", "of", "new",
                "delete", "void", "throw", "await", "yield");

        private final String source;
        private final List<Token> tokens = new ArrayList<>();
        private int at;
        private int line = 1;

        Lexer(String source) {
            this.source = source;
        }

        List<Token> tokens() {
            code(false);
            return tokens;
        }

        /** Code until the end, or (in a substitution) until the brace that closes it, which it consumes. */
        private void code(boolean substitution) {
            int braces = 0;
            while (at < source.length()) {
                char c = source.charAt(at);
                if (c == '\n') {
                    line++;
                    at++;
                } else if (Character.isWhitespace(c)) {
                    at++;
                } else if (source.startsWith("//", at)) {
                    while (at < source.length() && source.charAt(at) != '\n') {
                        at++;
                    }
                } else if (source.startsWith("/*", at)) {
                    int end = source.indexOf("*/", at + 2);
                    countLines(at, end + 2);
                    at = end + 2;
                } else if (Character.isJavaIdentifierStart(c)) {
                    int start = at;
                    while (at < source.length() && Character.isJavaIdentifierPart(source.charAt(at))) {
                        at++;
                    }
                    add(Kind.NAME, source.substring(start, at));
                } else if (Character.isDigit(c)) {
                    int start = at;
                    while (at < source.length() && (Character.isLetterOrDigit(source.charAt(at)) || source.charAt(at) == '.'
                            || source.charAt(at) == '_')) {
                        at++;
                    }
                    add(Kind.NUMBER, source.substring(start, at));
                } else if (c == '\'' || c == '"') {
                    add(Kind.STRING, string(c));
                } else if (c == '`') {
                    template();
                } else if (c == '/' && regexMayStart()) {
                    regex();
                } else if (substitution && c == '}' && braces == 0) {
                    at++;
                    return;
                } else {
                    String punct = PUNCTUATION.stream().filter(p -> source.startsWith(p, at)).findFirst().orElse(String.valueOf(c));
                    if (punct.equals("{")) {
                        braces++;
                    } else if (punct.equals("}")) {
                        braces--;
                    }
                    add(Kind.PUNCT, punct);
                    at += punct.length();
                }
            }
            if (substitution) {
                throw new IllegalStateException("a template literal's ${ not closed by line " + line);
            }
        }

        private String string(char quote) {
            StringBuilder text = new StringBuilder();
            at++;
            while (source.charAt(at) != quote) {
                char c = source.charAt(at);
                if (c == '\\') {
                    char escaped = source.charAt(at + 1);
                    text.append(switch (escaped) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> escaped;
                    });
                    at += 2;
                } else {
                    text.append(c);
                    at++;
                }
            }
            at++;
            return text.toString();
        }

        private void template() {
            add(Kind.TEMPLATE_START, "`");
            at++;
            StringBuilder chunk = new StringBuilder();
            while (source.charAt(at) != '`') {
                char c = source.charAt(at);
                if (c == '\\') {
                    chunk.append(source.charAt(at + 1));
                    at += 2;
                } else if (source.startsWith("${", at)) {
                    add(Kind.TEMPLATE_CHUNK, chunk.toString());
                    chunk.setLength(0);
                    add(Kind.SUBSTITUTION_START, "${");
                    at += 2;
                    code(true);
                    add(Kind.SUBSTITUTION_END, "}");
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    chunk.append(c);
                    at++;
                }
            }
            add(Kind.TEMPLATE_CHUNK, chunk.toString());
            add(Kind.TEMPLATE_END, "`");
            at++;
        }

        /** A slash starts a regular expression where an expression may start, not after a value (a division). */
        private boolean regexMayStart() {
            if (tokens.isEmpty()) {
                return true;
            }
            Token last = tokens.get(tokens.size() - 1);
            return switch (last.kind()) {
                case NAME -> BEFORE_EXPRESSION.contains(last.text());
                case PUNCT -> !last.text().equals(")") && !last.text().equals("]") && !last.text().equals("}");
                case SUBSTITUTION_START, TEMPLATE_START -> true;
                default -> false;
            };
        }

        private void regex() {
            int start = at;
            at++;
            boolean inClass = false;
            while (true) {
                char c = source.charAt(at);
                if (c == '\\') {
                    at += 2;
                    continue;
                }
                if (c == '\n') {
                    throw new IllegalStateException("line " + line + ": a regular expression that does not end on its line");
                }
                if (c == '[') {
                    inClass = true;
                } else if (c == ']') {
                    inClass = false;
                } else if (c == '/' && !inClass) {
                    break;
                }
                at++;
            }
            at++;
            while (at < source.length() && Character.isLetter(source.charAt(at))) {
                at++;
            }
            add(Kind.REGEX, source.substring(start, at));
        }

        private void countLines(int from, int to) {
            for (int i = from; i < to; i++) {
                if (source.charAt(i) == '\n') {
                    line++;
                }
            }
        }

        private void add(Kind kind, String text) {
            tokens.add(new Token(kind, text, line));
        }
    }
}
