package dev.slipway.submission.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.jobs.JobKind;
import dev.slipway.rest.problems.Problem.FieldError;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.rest.problems.UnreadableBody;
import dev.slipway.submission.job.JobRequest;
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
 * A multipart job upload: the jar in part {@code jar}; the fields either as a JSON part {@code job} or as
 * form fields ({@code clusterId}, {@code name}, {@code entryClass}, {@code parallelism}, {@code args}
 * repeated once per argument, {@code flinkConfiguration} as a JSON object, {@code savepointPath}). A form
 * field overrides the same field of the {@code job} part.
 */
public record JobUpload(JobRequest request, Path jar, String filename, Path temporary) implements AutoCloseable {

    private static final Set<String> FIELDS = Set.of("job", "jar", "type", "clusterId", "name", "entryClass", "parallelism", "args",
            "flinkConfiguration", "savepointPath");

    public static JobUpload parse(MultipartFormDataInput input, ObjectMapper json) throws IOException {
        Map<String, Collection<FormValue>> parts = input.getValues();
        List<FieldError> errors = new ArrayList<>();
        for (String part : parts.keySet()) {
            if (!FIELDS.contains(part)) {
                errors.add(new FieldError(part, "unknown field"));
            }
        }
        JobRequest base = new JobRequest(null, null, null, null, null, null, null, null, null);
        FormValue jobPart = first(parts, "job");
        if (jobPart != null) {
            try {
                base = json.readValue(text(jobPart), JobRequest.class);
            } catch (JsonProcessingException e) {
                throw new UnreadableBody(e);
            }
            if (base == null) {
                base = new JobRequest(null, null, null, null, null, null, null, null, null);
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
                args.add(text(arg));
            }
        }
        Map<String, String> configuration = base.flinkConfiguration();
        String configurationText = textOf(parts, "flinkConfiguration");
        if (configurationText != null) {
            try {
                configuration = json.readValue(configurationText, new TypeReference<Map<String, String>>() {
                });
            } catch (JsonProcessingException e) {
                errors.add(new FieldError("flinkConfiguration", "must be a JSON object of strings: " + e.getOriginalMessage()));
            }
        }
        JobRequest request = new JobRequest(type, or(textOf(parts, "name"), base.name()), or(textOf(parts, "clusterId"), base.clusterId()),
                or(textOf(parts, "entryClass"), base.entryClass()), parallelism, args, configuration,
                or(textOf(parts, "savepointPath"), base.savepointPath()), base.script());

        FormValue jarPart = first(parts, "jar");
        Path jar = null;
        Path temporary = null;
        String filename = null;
        if (jarPart == null || !jarPart.isFileItem()) {
            errors.add(new FieldError("jar", "is required: the jar file as the multipart file part 'jar'"));
        } else {
            filename = jarPart.getFileName() == null || jarPart.getFileName().isBlank() ? "job.jar" : Path.of(jarPart.getFileName())
                    .getFileName().toString();
            jar = jarPart.getFileItem().getFile();
            if (jar == null) {
                temporary = Files.createTempFile("slipway-upload-", ".jar");
                jarPart.getFileItem().write(temporary);
                jar = temporary;
            }
        }
        if (!errors.isEmpty()) {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
            throw ProblemException.invalid(errors);
        }
        return new JobUpload(request, jar, filename, temporary);
    }

    @Override
    public void close() throws IOException {
        if (temporary != null) {
            Files.deleteIfExists(temporary);
        }
    }

    private static FormValue first(Map<String, Collection<FormValue>> parts, String name) {
        Collection<FormValue> values = parts.get(name);
        return values == null || values.isEmpty() ? null : values.iterator().next();
    }

    private static String textOf(Map<String, Collection<FormValue>> parts, String name) throws IOException {
        FormValue value = first(parts, name);
        return value == null ? null : text(value);
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
