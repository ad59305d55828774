package dev.slipway.flink.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink SQL script split into statements, as the SQL client reads one: statements end with {@code ;}
 * outside strings, quoted identifiers and comments; {@code SET 'key' = 'value'} configures the job;
 * {@code EXECUTE STATEMENT SET BEGIN ... END} is accepted around INSERTs (every INSERT of a script goes
 * into one statement set, so a script is always one Flink job). Pure and shared: job-submission checks a
 * script with it before storing it, the runner executes what it gives inside the JobManager.
 */
public final class SqlScript {

    /** What the runner does with a statement. */
    public enum Kind {
        /** {@code SET 'key' = 'value'}: a configuration entry of the job. */
        SET,
        /** {@code INSERT INTO|OVERWRITE}: part of the job's one statement set. */
        INSERT,
        /** DDL and other statements (CREATE, DROP, ALTER, USE, LOAD, ...): executed at once, start no job. */
        EXECUTE
    }

    /** One statement: its text without comments, the line it starts on (1-based), and for SET the entry. */
    public record Statement(Kind kind, String text, int line, String key, String value) {
    }

    /** The outcome of reading a script: its statements, or what is wrong with it, each message naming its line. */
    public record Parsed(List<Statement> statements, List<String> errors) {

        public boolean valid() {
            return errors.isEmpty();
        }

        public List<Statement> of(Kind kind) {
            return statements.stream().filter(statement -> statement.kind() == kind).toList();
        }
    }

    // Possessive runs: one step per run of characters, not per character, so a long value cannot overflow the stack.
    private static final Pattern SET = Pattern.compile("(?is)SET\\s+'((?:[^']++|'')*+)'\\s*=\\s*'((?:[^']++|'')*+)'");
    private static final Pattern SET_WITHOUT_QUOTES = Pattern.compile("(?is)SET(\\s.*)?");
    private static final Pattern STATEMENT_SET_BEGIN = Pattern.compile("(?is)(EXECUTE\\s+)?STATEMENT\\s+SET\\s+BEGIN\\s+(.*)");
    private static final Pattern BEGIN_STATEMENT_SET = Pattern.compile("(?is)BEGIN\\s+STATEMENT\\s+SET\\s*");
    private static final Pattern INSERT = Pattern.compile("(?is)INSERT\\s+(INTO|OVERWRITE)\\s.*");
    private static final Pattern QUERY = Pattern.compile("(?is)(SELECT|WITH|VALUES|EXPLAIN|DESCRIBE|DESC|SHOW)\\b.*");
    private static final Pattern END = Pattern.compile("(?is)END");

    private SqlScript() {
    }

    public static Parsed parse(String script) {
        List<Statement> statements = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (script == null || script.isBlank()) {
            return new Parsed(List.of(), List.of("the script is empty: write Flink SQL statements ending with ';'"));
        }
        List<RawStatement> raw = split(script, errors);
        boolean inStatementSet = false;
        for (RawStatement statement : raw) {
            String text = statement.text();
            Matcher begin = STATEMENT_SET_BEGIN.matcher(text);
            if (begin.matches() || BEGIN_STATEMENT_SET.matcher(text).matches()) {
                if (inStatementSet) {
                    errors.add("line " + statement.line() + ": a statement set is already open; close it with END;");
                }
                inStatementSet = true;
                text = begin.matches() ? begin.group(2).trim() : "";
                if (text.isEmpty()) {
                    continue;
                }
            }
            if (END.matcher(text).matches()) {
                if (!inStatementSet) {
                    errors.add("line " + statement.line() + ": END without EXECUTE STATEMENT SET BEGIN");
                }
                inStatementSet = false;
                continue;
            }
            classify(text, statement.line(), inStatementSet, statements, errors);
        }
        if (inStatementSet) {
            errors.add("the statement set is not closed: end it with END;");
        }
        if (errors.isEmpty() && statements.stream().noneMatch(statement -> statement.kind() == Kind.INSERT)) {
            errors.add("the script has no INSERT INTO: a SQL job runs its INSERT statements, and without one nothing would run");
        }
        return new Parsed(List.copyOf(statements), List.copyOf(errors));
    }

    private static void classify(String text, int line, boolean inStatementSet, List<Statement> statements, List<String> errors) {
        String head = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        if (INSERT.matcher(text).matches()) {
            statements.add(new Statement(Kind.INSERT, text, line, null, null));
        } else if (inStatementSet) {
            errors.add("line " + line + ": only INSERT statements belong in a statement set, not '" + head + "'");
        } else if (SET.matcher(text).matches()) {
            Matcher set = SET.matcher(text);
            set.matches();
            statements.add(new Statement(Kind.SET, text, line, unquote(set.group(1)), unquote(set.group(2))));
        } else if (SET_WITHOUT_QUOTES.matcher(text).matches()) {
            errors.add("line " + line + ": write a configuration entry as SET 'key' = 'value'; (both quoted), not '" + head + "'");
        } else if (QUERY.matcher(text).matches()) {
            errors.add("line " + line + ": a query's rows have nowhere to go in a job: INSERT INTO a sink table instead of '"
                    + head.split("\\s+")[0].toUpperCase(Locale.ROOT) + " ...'");
        } else {
            statements.add(new Statement(Kind.EXECUTE, text, line, null, null));
        }
    }

    private static String unquote(String quoted) {
        return quoted.replace("''", "'");
    }

    private record RawStatement(String text, int line) {
    }

    /** Splits at top-level {@code ;}, dropping comments; reports an unterminated string, identifier or comment. */
    private static List<RawStatement> split(String script, List<String> errors) {
        List<RawStatement> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = -1;
        int i = 0;
        int length = script.length();
        while (i < length) {
            char c = script.charAt(i);
            char next = i + 1 < length ? script.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                while (i < length && script.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && next == '*') {
                int opened = line;
                int close = script.indexOf("*/", i + 2);
                if (close < 0) {
                    errors.add("line " + opened + ": the comment /* is never closed with */");
                    return statements;
                }
                line += count(script, i, close + 2, '\n');
                current.append(' ');
                i = close + 2;
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                if (startLine < 0) {
                    startLine = line;
                }
                int opened = line;
                int end = closingQuote(script, i, c);
                if (end < 0) {
                    errors.add("line " + opened + ": the " + (c == '\'' ? "string" : "quoted identifier") + " opened with " + c
                            + " is never closed");
                    return statements;
                }
                line += count(script, i, end + 1, '\n');
                current.append(script, i, end + 1);
                i = end + 1;
                continue;
            }
            if (c == ';') {
                add(statements, current, startLine);
                current.setLength(0);
                startLine = -1;
                i++;
                continue;
            }
            if (c == '\n') {
                line++;
            }
            if (startLine < 0 && !Character.isWhitespace(c)) {
                startLine = line;
            }
            current.append(c);
            i++;
        }
        if (!current.toString().isBlank()) {
            // The SQL client also runs a last statement without ';'.
            add(statements, current, startLine);
        }
        return statements;
    }

    private static void add(List<RawStatement> statements, StringBuilder text, int line) {
        String trimmed = text.toString().trim();
        if (!trimmed.isEmpty()) {
            statements.add(new RawStatement(trimmed, line));
        }
    }

    /** The index of the quote closing the one at {@code open}; a doubled quote is an escaped one. */
    private static int closingQuote(String script, int open, char quote) {
        int i = open + 1;
        while (i < script.length()) {
            if (script.charAt(i) == quote) {
                if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return -1;
    }

    private static int count(String text, int from, int to, char c) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
