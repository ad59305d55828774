package dev.slipway.submission.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.jobs.JobKind;
import dev.slipway.rest.problems.ControlCharacters;
import dev.slipway.rest.problems.JsonErrorWords;
import dev.slipway.rest.problems.Problem.FieldError;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.rest.problems.UnreadableBody;
import dev.slipway.submission.dependency.JobDependencies;
import dev.slipway.submission.job.JobRequest;
import dev.slipway.submission.job.JobValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/**
 * A multipart job upload: a JAR job's jar in part {@code jar} (a SQL job has none: {@code type} SQL and its {@code script});
 * jars the job runs with beside it in parts {@code dependency}, one per jar; the fields either as a JSON part {@code job}
 * or as form fields ({@code clusterId}, {@code name}, {@code entryClass}, {@code parallelism}, {@code args} repeated once
 * per argument, {@code flinkConfiguration} as a JSON object, {@code savepointPath}, {@code script}, {@code dependencies}
 * repeated once per Maven coordinate). A form field overrides the same field of the {@code job} part.
 */
public record JobUpload(JobRequest request, Path jar, String filename, List<JobDependencies.UploadedJar> dependencyJars,
        List<Path> temporaries) implements AutoCloseable {

    private static final Set<String> FIELDS = Set.of("job", "jar", "type", "clusterId", "name", "entryClass", "parallelism", "args",
            "flinkConfiguration", "savepointPath", "script", "dependencies", "dependency");

    public static JobUpload parse(MultipartFormDataInput input, ObjectMapper json) throws IOException {
        Map<String, Collection<FormValue>> parts = input.getValues();
        List<FieldError> errors = new ArrayList<>();
        for (String part : parts.keySet()) {
            if (!FIELDS.contains(part)) {
                errors.add(new FieldError(part, "unknown field"));
            }
        }
        JobRequest base = JobRequest.empty();
        FormValue jobPart = first(parts, "job");
        if (jobPart != null) {
            try {
                base = json.readValue(text(jobPart), JobRequest.class);
            } catch (JsonProcessingException e) {
                throw new UnreadableBody(e);
            }
            if (base == null) {
                base = JobRequest.empty();
            }
        }
        JobKind type = base.type();
        String typeText = textOf(parts, "type");
        if (typeText != null) {
            try {
                type = JobKind.valueOf(typeText);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("type", "must be JAR or SQL"));
            }
        }
        Integer parallelism = base.parallelism();
        String parallelismText = textOf(parts, "parallelism");
        if (parallelismText != null) {
            try {
                parallelism = Integer.valueOf(parallelismText.trim());
            } catch (NumberFormatException e) {
                errors.add(new FieldError("parallelism", "must be a whole number"));
            }
        }
        List<String> args = base.args();
        Collection<FormValue> argParts = parts.get("args");
        if (argParts != null && !argParts.isEmpty()) {
            args = new ArrayList<>();
            for (FormValue arg : argParts) {
                args.add(checked("args[" + args.size() + "]", text(arg)));
            }
        }
        Map<String, String> configuration = base.flinkConfiguration();
        String configurationText = textOf(parts, "flinkConfiguration");
        if (configurationText != null) {
            try {
                configuration = json.readValue(configurationText, new TypeReference<Map<String, String>>() {
                });
            } catch (JsonProcessingException e) {
                errors.add(new FieldError("flinkConfiguration", "must be a JSON object of strings (" + JsonErrorWords.of(e) + ")"));
            }
        }
        List<String> dependencies = base.dependencies();
        Collection<FormValue> dependencyFields = parts.get("dependencies");
        if (dependencyFields != null && !dependencyFields.isEmpty()) {
            dependencies = new ArrayList<>();
            for (FormValue coordinate : dependencyFields) {
                dependencies.add(checked("dependencies[" + dependencies.size() + "]", text(coordinate)));
            }
        }
        JobRequest request = new JobRequest(type, or(textOf(parts, "name"), base.name()), or(textOf(parts, "clusterId"), base.clusterId()),
                or(textOf(parts, "entryClass"), base.entryClass()), parallelism, args, configuration,
                or(textOf(parts, "savepointPath"), base.savepointPath()), or(textOf(parts, "script"), base.script()), dependencies);

        List<Path> temporaries = new ArrayList<>();
        try {
            FormValue jarPart = first(parts, "jar");
            Path jar = null;
            String filename = null;
            if (type == JobKind.SQL) {
                if (jarPart != null) {
                    errors.add(new FieldError("jar", "a SQL job runs in Slipway's SQL runner: send jars it needs as parts 'dependency'"));
                }
            } else if (jarPart == null || !jarPart.isFileItem()) {
                errors.add(new FieldError("jar", "is required: the jar file as the multipart file part 'jar'"));
            } else {
                filename = fileName(jarPart, "job.jar");
                jar = file(jarPart, temporaries);
            }
            List<JobDependencies.UploadedJar> dependencyJars = new ArrayList<>();
            Collection<FormValue> dependencyParts = parts.getOrDefault("dependency", List.of());
            if (dependencyParts.size() > JobValidator.MAX_DEPENDENCIES) {
                errors.add(new FieldError("dependency", "at most " + JobValidator.MAX_DEPENDENCIES + " jars"));
            } else {
                int index = 0;
                for (FormValue part : dependencyParts) {
                    if (!part.isFileItem()) {
                        errors.add(new FieldError("dependency[" + index + "]", "must be a jar file part; Maven coordinates go in 'dependencies'"));
                    } else {
                        dependencyJars.add(new JobDependencies.UploadedJar(file(part, temporaries), fileName(part, "dependency-" + index + ".jar")));
                    }
                    index++;
                }
            }
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            return new JobUpload(request, jar, filename, dependencyJars, temporaries);
        } catch (IOException | RuntimeException e) {
            delete(temporaries);
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        delete(temporaries);
    }

    private static void delete(List<Path> files) throws IOException {
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
    }

    /** The part's file name without any directory, in letters, digits and {@code . _ - +} (others become '_'). */
    private static String fileName(FormValue part, String fallback) {
        String given = part.getFileName() == null ? "" : part.getFileName().replace('\\', '/');
        String base = given.substring(given.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._+-]", "_");
        return base.isBlank() || base.startsWith(".") || base.length() > 200 ? fallback : base;
    }

    /** The part's file on disk (written to a temporary file when the server kept it in memory). */
    private static Path file(FormValue part, List<Path> temporaries) throws IOException {
        Path file = part.getFileItem().getFile();
        if (file == null) {
            file = Files.createTempFile("slipway-upload-", ".jar");
            temporaries.add(file);
            part.getFileItem().write(file);
        }
        return file;
    }

    private static FormValue first(Map<String, Collection<FormValue>> parts, String name) {
        Collection<FormValue> values = parts.get(name);
        return values == null || values.isEmpty() ? null : values.iterator().next();
    }

    private static String textOf(Map<String, Collection<FormValue>> parts, String name) throws IOException {
        FormValue value = first(parts, name);
        return value == null ? null : checked(name, text(value));
    }

    /** A form field's text, refused (400 naming it) when it holds control characters, as JSON strings are. */
    private static String checked(String name, String text) {
        if (ControlCharacters.present(text)) {
            throw ProblemException.invalid(name, "must not contain control characters (NUL, and C0 codes other than tab and line breaks)");
        }
        return text;
    }

    /** A text field, or a small part sent as a file (curl -F 'job=@job.json'). */
    private static String text(FormValue value) throws IOException {
        if (!value.isFileItem()) {
            return value.getValue();
        }
        try (var in = value.getFileItem().getInputStream()) {
            byte[] bytes = in.readNBytes(1024 * 1024 + 1);
            if (bytes.length > 1024 * 1024) {
                throw new ProblemException(400, "about:blank", "Invalid request", "a field part is larger than 1 MiB",
                        List.of(new FieldError("job", "at most 1 MiB")));
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static String or(String first, String second) {
        return first != null ? first : second;
    }
}
