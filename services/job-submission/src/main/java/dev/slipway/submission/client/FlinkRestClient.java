package dev.slipway.submission.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.submission.config.SubmissionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The calls of Flink's REST API (2.x) that job-submission makes, blocking on the caller's thread (the
 * job reconciler's, never the event loop). Connection problems are {@link IOException}s (try again);
 * an answer Flink gives with an error status is a {@link FlinkError} with Flink's own messages.
 */
@ApplicationScoped
public class FlinkRestClient {

    private static final int MAX_CAUSE = 4000;
    private static final Pattern STACK_FRAME = Pattern.compile("\\s+(at |\\.\\.\\. \\d+ more).*");

    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    public FlinkRestClient(HttpClient http, SubmissionConfig config) {
        this.http = http;
        this.timeout = config.jobs().httpTimeout();
    }

    /** Flink answered with an error status; {@code message} is what its {@code errors} said. */
    public static final class FlinkError extends IOException {

        private final int status;

        public FlinkError(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** What {@code POST /jars/:jarid/run} takes; {@code flinkJobId} is chosen by the platform. */
    public record Run(String entryClass, Integer parallelism, List<String> programArgs, Map<String, String> flinkConfiguration,
            String savepointPath, String flinkJobId) {
    }

    /** {@code IN_PROGRESS} or {@code COMPLETED}; a completed one has a location or a failure. */
    public record SavepointStatus(boolean completed, String location, String failure) {
    }

    /** A savepoint disposal: still running, or completed, with Flink's failure when it failed. */
    public record DisposalStatus(boolean completed, String failure) {
    }

    /** A completed checkpoint Flink keeps outside the job ({@code external_path}), and when its last task acknowledged it. */
    public record Checkpoint(String path, Instant completedAt) {
    }

    /**
     * What Flink says of a job's latest completed checkpoint: the retained one, or none. {@code discarded} when the latest it
     * names was deleted: either Flink did not retain it when the run ended, or the answer is older than the run's last
     * checkpoint (Flink's REST API caches checkpoint statistics for {@code rest.cache.checkpoint-statistics.timeout}, and a
     * cached answer's latest checkpoint is marked discarded once a newer one subsumed it). Only a later answer tells which.
     */
    public record LatestCheckpoint(Optional<Checkpoint> retained, boolean discarded) {

        public static final LatestCheckpoint NONE = new LatestCheckpoint(Optional.empty(), false);
        public static final LatestCheckpoint DISCARDED = new LatestCheckpoint(Optional.empty(), true);
    }

    /** {@code POST /jars/upload}, multipart field {@code jarfile}; answers the jar id. */
    public String uploadJar(String baseUrl, Path jar, String filename) throws IOException {
        String boundary = "slipway-" + UUID.randomUUID();
        String safeName = filename.replaceAll("[^A-Za-z0-9._-]", "_");
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + safeName + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/jars/upload")).timeout(timeout)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
                        HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8)))
                .build();
        JsonNode answer = send(request);
        String uploaded = answer.path("filename").asText("");
        if (uploaded.isEmpty()) {
            throw new FlinkError(200, "the JobManager's answer to the upload names no file: " + answer);
        }
        return uploaded.substring(uploaded.lastIndexOf('/') + 1);
    }

    /** {@code POST /jars/:jarid/run}; answers Flink's job id. */
    public String run(String baseUrl, String jarId, Run run) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("entryClass", run.entryClass());
        if (run.parallelism() != null) {
            body.put("parallelism", run.parallelism());
        }
        body.set("programArgsList", json.valueToTree(run.programArgs()));
        if (!run.flinkConfiguration().isEmpty()) {
            body.set("flinkConfiguration", json.valueToTree(run.flinkConfiguration()));
        }
        if (run.savepointPath() != null) {
            body.put("savepointPath", run.savepointPath());
        }
        body.put("jobId", run.flinkJobId());
        JsonNode answer = send(post(baseUrl + "/jars/" + jarId + "/run", body));
        return answer.path("jobid").asText(run.flinkJobId());
    }

    /** {@code DELETE /jars/:jarid}: the JobManager keeps uploads on its disk otherwise. Best effort. */
    public void deleteJar(String baseUrl, String jarId) {
        try {
            http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/jars/" + jarId)).timeout(timeout).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // left on the JobManager's disk; it goes with the JobManager
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Flink's state of the job ({@code GET /jobs/:jobid}), empty when the JobManager does not know it. */
    public Optional<String> jobState(String baseUrl, String flinkJobId) throws IOException {
        try {
            return Optional.of(send(get(baseUrl + "/jobs/" + flinkJobId)).path("state").asText());
        } catch (FlinkError e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The job's latest completed checkpoint ({@code GET /jobs/:jobid/checkpoints}, {@code latest.completed}), also after the
     * job ended while the JobManager still keeps it.
     */
    public LatestCheckpoint latestCheckpoint(String baseUrl, String flinkJobId) throws IOException {
        JsonNode answer;
        try {
            answer = send(get(baseUrl + "/jobs/" + flinkJobId + "/checkpoints"));
        } catch (FlinkError e) {
            if (e.status() == 404) {
                return LatestCheckpoint.NONE;
            }
            throw e;
        }
        JsonNode completed = answer.path("latest").path("completed");
        String path = completed.path("external_path").asText("");
        long acknowledged = completed.path("latest_ack_timestamp").asLong(0);
        // Flink writes "<checkpoint-not-externally-addressable>" for a checkpoint kept only in the JobManager's memory.
        if (!completed.isObject() || completed.path("is_savepoint").asBoolean(false) || path.isEmpty() || path.startsWith("<")
                || acknowledged <= 0) {
            return LatestCheckpoint.NONE;
        }
        if (completed.path("discarded").asBoolean(false)) {
            return LatestCheckpoint.DISCARDED;
        }
        return new LatestCheckpoint(Optional.of(new Checkpoint(path, Instant.ofEpochMilli(acknowledged))), false);
    }

    /**
     * The checkpoint the job's current execution restored from ({@code latest.restored.external_path}): after a JobManager
     * recovered the job from its high-availability store, the checkpoint it started from. Empty when it restored none.
     */
    public Optional<String> restoredCheckpoint(String baseUrl, String flinkJobId) throws IOException {
        JsonNode restored = send(get(baseUrl + "/jobs/" + flinkJobId + "/checkpoints")).path("latest").path("restored");
        String path = restored.path("external_path").asText("");
        return !restored.isObject() || path.isEmpty() || path.startsWith("<") ? Optional.empty() : Optional.of(path);
    }

    /** The latest failure of the job ({@code GET /jobs/:jobid/exceptions}): its name and the first lines of its trace. */
    public String failureCause(String baseUrl, String flinkJobId) throws IOException {
        JsonNode answer = send(get(baseUrl + "/jobs/" + flinkJobId + "/exceptions?maxExceptions=1"));
        JsonNode latest = answer.path("exceptionHistory").path("entries").path(0);
        String trace = latest.path("stacktrace").asText(answer.path("root-exception").asText(""));
        if (trace.isEmpty()) {
            return latest.path("exceptionName").asText(null);
        }
        return shorten(trace);
    }

    /**
     * The end of the JobManager's log ({@code GET /jobmanager/log}, the file its {@code log.file} names): where an unhandled
     * failure Flink answers with "Internal server error." alone is written. Empty when there is none.
     */
    public String jobManagerLogTail(String baseUrl, int maxChars) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(get(baseUrl + "/jobmanager/log"), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String log = response.statusCode() == 200 && response.body() != null ? response.body() : "";
        return log.length() <= maxChars ? log : log.substring(log.length() - maxChars);
    }

    /** {@code PATCH /jobs/:jobid?mode=cancel}. */
    public void cancel(String baseUrl, String flinkJobId) throws IOException {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + flinkJobId + "?mode=cancel")).timeout(timeout)
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    }

    /** {@code POST /jobs/:jobid/savepoints}: a savepoint, the job goes on. Answers the trigger id. */
    public String triggerSavepoint(String baseUrl, String flinkJobId, String targetDirectory, String triggerId) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("target-directory", targetDirectory);
        body.put("cancel-job", false);
        body.put("triggerId", triggerId);
        return send(post(baseUrl + "/jobs/" + flinkJobId + "/savepoints", body)).path("request-id").asText(triggerId);
    }

    /** {@code POST /jobs/:jobid/stop}: a savepoint, then the job finishes. Answers the trigger id. */
    public String stopWithSavepoint(String baseUrl, String flinkJobId, String targetDirectory, String triggerId) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("targetDirectory", targetDirectory);
        body.put("drain", false);
        body.put("triggerId", triggerId);
        return send(post(baseUrl + "/jobs/" + flinkJobId + "/stop", body)).path("request-id").asText(triggerId);
    }

    /** {@code GET /jobs/:jobid/savepoints/:triggerid}, for triggered savepoints and stops alike. */
    public SavepointStatus savepointStatus(String baseUrl, String flinkJobId, String triggerId) throws IOException {
        JsonNode answer = send(get(baseUrl + "/jobs/" + flinkJobId + "/savepoints/" + triggerId));
        if (!"COMPLETED".equals(answer.path("status").path("id").asText())) {
            return new SavepointStatus(false, null, null);
        }
        JsonNode operation = answer.path("operation");
        String location = operation.path("location").asText(null);
        String cause = failureOf(operation);
        return new SavepointStatus(true, location, location == null && cause == null ? "completed without a location" : cause);
    }

    /** {@code POST /savepoint-disposal}: Flink deletes the savepoint's files. Answers the trigger id. */
    public String disposeSavepoint(String baseUrl, String savepointPath) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("savepoint-path", savepointPath);
        String triggerId = send(post(baseUrl + "/savepoint-disposal", body)).path("request-id").asText("");
        if (triggerId.isEmpty()) {
            throw new FlinkError(502, "POST /savepoint-disposal answered no request-id");
        }
        return triggerId;
    }

    /** {@code GET /savepoint-disposal/:triggerid}; a trigger the JobManager does not know (any more) is a FlinkError 404. */
    public DisposalStatus disposalStatus(String baseUrl, String triggerId) throws IOException {
        JsonNode answer = send(get(baseUrl + "/savepoint-disposal/" + triggerId));
        if (!"COMPLETED".equals(answer.path("status").path("id").asText())) {
            return new DisposalStatus(false, null);
        }
        return new DisposalStatus(true, failureOf(answer.path("operation")));
    }

    /** Flink writes an operation's failure as a SerializedThrowable: {"class", "stack-trace", "serialized-throwable"}. */
    private static String failureOf(JsonNode operation) {
        JsonNode failure = operation.path("failure-cause");
        return failure.isMissingNode() || failure.isNull() ? null
                : shorten(failure.path("stack-trace").asText(failure.path("class").asText(failure.toString())));
    }

    private HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
    }

    private HttpRequest post(String url, JsonNode body) throws IOException {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body), StandardCharsets.UTF_8)).build();
    }

    private JsonNode send(HttpRequest request) throws IOException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String body = response.body() == null ? "" : response.body();
        if (response.statusCode() >= 300) {
            throw new FlinkError(response.statusCode(), request.method() + " " + request.uri().getPath() + " answered "
                    + response.statusCode() + ": " + errors(body));
        }
        return body.isBlank() ? json.createObjectNode() : json.readTree(body);
    }

    /** Flink's {@code {"errors":[...]}}, joined; the body itself if it is something else. */
    private String errors(String body) {
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.path("errors").isArray()) {
                List<String> messages = new ArrayList<>();
                node.path("errors").forEach(message -> messages.add(withoutFrames(message.asText())));
                return shorten(String.join("\n", messages));
            }
        } catch (IOException notJson) {
            // fall through
        }
        return shorten(body);
    }

    /**
     * A Java stack trace as Flink sends it in an error, reduced to its messages: the exception and every
     * "Caused by" (a refused SQL statement's reason is the last cause, thousands of characters down).
     */
    public static String withoutFrames(String trace) {
        return trace.lines().filter(line -> !STACK_FRAME.matcher(line).matches()).collect(Collectors.joining("\n"));
    }

    static String shorten(String text) {
        return text.length() <= MAX_CAUSE ? text : text.substring(0, MAX_CAUSE - 1) + "…";
    }
}
