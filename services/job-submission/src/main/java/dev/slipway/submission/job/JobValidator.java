package dev.slipway.submission.job;

import dev.slipway.flink.sql.SqlScript;
import dev.slipway.provisioning.FlinkProcessConfiguration;
import dev.slipway.rest.problems.Problem.FieldError;
import dev.slipway.submission.dependency.MavenCoordinate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a job's fields (a jar itself is {@link JarInspector}'s, a script {@link SqlScript}'s). Pure: every error names its field. */
public final class JobValidator {

    public static final int MAX_PARALLELISM = 4096;
    public static final int MAX_ARGS = 1000;
    public static final int MAX_ARG_LENGTH = 10_000;
    public static final int MAX_CONFIGURATION_ENTRIES = 200;
    public static final int MAX_VALUE_LENGTH = 4096;
    public static final int MAX_PATH_LENGTH = 1024;
    public static final int MAX_SCRIPT_LENGTH = 1_000_000;
    /** Maven coordinates, and as many jars uploaded, per version. */
    public static final int MAX_DEPENDENCIES = 50;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ -]{0,127}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern URI_WITH_SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://\\S+");

    private JobValidator() {
    }

    public static List<FieldError> validateJar(JobRequest request) {
        List<FieldError> errors = common(request);
        if (request.script() != null) {
            errors.add(new FieldError("script", "is only for SQL jobs"));
        }
        errors.addAll(validateRun(request.args(), request.flinkConfiguration(), request.savepointPath()));
        return errors;
    }

    /** A SQL job: its script must split into statements the runner can execute, with at least one INSERT. */
    public static List<FieldError> validateSql(JobRequest request) {
        List<FieldError> errors = common(request);
        if (request.entryClass() != null) {
            errors.add(new FieldError("entryClass", "is only for JAR jobs: a SQL job runs in Slipway's SQL runner"));
        }
        if (request.args() != null && !request.args().isEmpty()) {
            errors.add(new FieldError("args", "a SQL job takes no program arguments: configure it with SET 'key' = 'value'; "
                    + "in the script or with flinkConfiguration"));
        }
        errors.addAll(validateScript(request.script()));
        errors.addAll(validateRun(null, request.flinkConfiguration(), request.savepointPath()));
        return errors;
    }

    static List<FieldError> validateScript(String script) {
        if (script == null || script.isBlank()) {
            return List.of(new FieldError("script", "is required: the Flink SQL statements of the job, each ending with ';'"));
        }
        if (script.length() > MAX_SCRIPT_LENGTH) {
            return List.of(new FieldError("script", "at most " + MAX_SCRIPT_LENGTH + " characters"));
        }
        SqlScript.Parsed parsed = SqlScript.parse(script);
        List<FieldError> errors = new ArrayList<>(parsed.errors().stream().map(error -> new FieldError("script", error)).toList());
        // A SET reaches the job's configuration as flinkConfiguration does: the same keys are the platform's.
        for (SqlScript.Statement set : parsed.of(SqlScript.Kind.SET)) {
            if (set.key() != null && FlinkProcessConfiguration.platformOwned(set.key())) {
                errors.add(new FieldError("script", "line " + set.line() + ": SET '" + set.key()
                        + "' is set by the platform and cannot be overridden"));
            }
        }
        return errors;
    }

    private static List<FieldError> common(JobRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.clusterId() == null || request.clusterId().isBlank()) {
            errors.add(new FieldError("clusterId", "is required: the session cluster to run the job on"));
        }
        if (request.name() != null && !NAME.matcher(request.name()).matches()) {
            errors.add(new FieldError("name", "must be 1 to 128 letters, digits, '.', '_', '-' or spaces, starting with a letter or digit"));
        }
        if (request.parallelism() != null && (request.parallelism() < 1 || request.parallelism() > MAX_PARALLELISM)) {
            errors.add(new FieldError("parallelism", "must be between 1 and " + MAX_PARALLELISM));
        }
        errors.addAll(validateDependencies(request.dependencies()));
        return errors;
    }

    /** Maven coordinates: each in the grammar, none twice, at most {@link #MAX_DEPENDENCIES}. */
    static List<FieldError> validateDependencies(List<String> dependencies) {
        List<FieldError> errors = new ArrayList<>();
        if (dependencies == null) {
            return errors;
        }
        if (dependencies.size() > MAX_DEPENDENCIES) {
            errors.add(new FieldError("dependencies", "at most " + MAX_DEPENDENCIES + " Maven coordinates"));
            return errors;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < dependencies.size(); i++) {
            try {
                MavenCoordinate coordinate = MavenCoordinate.parse(dependencies.get(i));
                if (!seen.add(coordinate.groupId() + ":" + coordinate.artifactId() + ":" + coordinate.classifier())) {
                    errors.add(new FieldError("dependencies[" + i + "]", coordinate.groupId() + ":" + coordinate.artifactId()
                            + " is named twice: a job runs with one version of an artifact"));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("dependencies[" + i + "]", e.getMessage()));
            }
        }
        return errors;
    }

    /** Arguments, configuration and savepoint: the same rules for a new job and a new version. */
    static List<FieldError> validateRun(List<String> args, Map<String, String> configuration, String savepointPath) {
        List<FieldError> errors = new ArrayList<>();
        if (args != null) {
            if (args.size() > MAX_ARGS) {
                errors.add(new FieldError("args", "at most " + MAX_ARGS + " arguments"));
            }
            for (int i = 0; i < args.size() && i < MAX_ARGS; i++) {
                if (args.get(i) == null) {
                    errors.add(new FieldError("args[" + i + "]", "must not be null"));
                } else if (args.get(i).length() > MAX_ARG_LENGTH) {
                    errors.add(new FieldError("args[" + i + "]", "at most " + MAX_ARG_LENGTH + " characters"));
                }
            }
        }
        if (configuration != null) {
            if (configuration.size() > MAX_CONFIGURATION_ENTRIES) {
                errors.add(new FieldError("flinkConfiguration", "at most " + MAX_CONFIGURATION_ENTRIES + " entries"));
            }
            configuration.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
                String key = entry.getKey();
                String field = "flinkConfiguration[" + key + "]";
                if (!KEY.matcher(key).matches()) {
                    errors.add(new FieldError(field, "is not a Flink configuration key"));
                } else if (FlinkProcessConfiguration.platformOwned(key)) {
                    errors.add(new FieldError(field, "'" + key + "' is set by the platform and cannot be overridden"));
                } else if (entry.getValue() == null) {
                    errors.add(new FieldError(field, "must have a value"));
                } else if (entry.getValue().length() > MAX_VALUE_LENGTH) {
                    errors.add(new FieldError(field, "at most " + MAX_VALUE_LENGTH + " characters"));
                }
            });
        }
        if (savepointPath != null && !validSavepoint(savepointPath)) {
            errors.add(new FieldError("savepointPath", "must be a URI with a scheme (file://, s3://, ...) or an absolute path, "
                    + "at most " + MAX_PATH_LENGTH + " characters"));
        }
        return errors;
    }

    private static boolean validSavepoint(String path) {
        return path.length() <= MAX_PATH_LENGTH && (URI_WITH_SCHEME.matcher(path).matches() || (path.startsWith("/") && !path.isBlank()
                && path.chars().noneMatch(Character::isWhitespace)));
    }

    /** The name of a SQL job that was given none: its {@code SET 'pipeline.name'} if valid, else "sql-job". */
    public static String defaultSqlName(String script) {
        return SqlScript.parse(script).of(SqlScript.Kind.SET).stream()
                .filter(set -> "pipeline.name".equals(set.key()) && NAME.matcher(set.value()).matches())
                .map(SqlScript.Statement::value).reduce((first, last) -> last).orElse("sql-job");
    }

    /** The name of a job that was given none: the entry class's simple name. */
    public static String defaultName(String entryClass) {
        String simple = entryClass.substring(entryClass.lastIndexOf('.') + 1).replace('$', '-');
        return simple.isEmpty() || !Character.isLetterOrDigit(simple.charAt(0)) ? "job" : simple;
    }
}
