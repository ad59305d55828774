package dev.slipway.submission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.slipway.contracts.auth.ClusterTokens;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written double of the pod-provisioner's JobManager lookup and of each cluster's Flink JobManager
 * REST API (the calls job-submission makes), recording what it was asked. Each cluster gets its own
 * JobManager server on the first lookup. Savepoints and stops complete at once; a run's latest completed checkpoint is what
 * a test set with {@link JobManager#checkpoint}.
 */
public class TestingFlink implements QuarkusTestResourceLifecycleManager {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JobManager> JOB_MANAGERS = new ConcurrentHashMap<>();
    private static HttpServer provisioner;

    /** A run as Flink got it. */
    public record Run(String jobId, String entryClass, Integer parallelism, List<String> args, String savepointPath,
            Map<String, String> configuration, int jarBytes, List<String> libraries) {
    }

    /** The {@code lib/*.jar} entries of an uploaded jar, by their names in its zip headers, in order and once each. */
    static List<String> libraries(byte[] upload) {
        Matcher names = Pattern.compile("lib/[0-9]{2}-[A-Za-z0-9._+-]+?\\.jar").matcher(new String(upload, StandardCharsets.ISO_8859_1));
        List<String> found = new java.util.ArrayList<>();
        while (names.find()) {
            if (!found.contains(names.group())) {
                found.add(names.group());
            }
        }
        return found;
    }

    public static final class JobManager {
        final HttpServer server;
        public final Map<String, String> states = new ConcurrentHashMap<>();
        public final Map<String, Run> runs = new ConcurrentHashMap<>();
        public final List<String> calls = new CopyOnWriteArrayList<>();
        public final Map<String, String> savepoints = new ConcurrentHashMap<>();
        /** Flink job id to its latest completed checkpoint, as {@code GET /jobs/:jobid/checkpoints} shows it in {@code latest.completed}. */
        public final Map<String, Map<String, Object>> checkpoints = new ConcurrentHashMap<>();
        final Map<String, byte[]> jars = new ConcurrentHashMap<>();
        public volatile String failure = "java.lang.IllegalStateException: boom\n\tat dev.example.Job.map(Job.java:1)";
        /** Savepoint disposal trigger to the savepoint's path, as asked for. */
        public final Map<String, String> disposals = new ConcurrentHashMap<>();
        /** The savepoints whose disposal completed, in order. */
        public final List<String> disposed = new CopyOnWriteArrayList<>();
        /** When set, disposals fail with this error. */
        public volatile String refuseDisposals;
        /** When set, a run is refused with this error (as Flink does when the program fails to start). */
        public volatile String refuseRuns;

        JobManager() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        public void state(String flinkJobId, String state) {
            states.put(flinkJobId, state);
        }

        /**
         * Flink job id to how many of the next reads of its checkpoints answer as a cached answer from before its latest
         * checkpoint does: naming the one before, which the latest subsumed (so marked discarded).
         */
        public final Map<String, AtomicInteger> staleAnswers = new ConcurrentHashMap<>();

        /** The run's latest completed checkpoint, as Flink reports one it deleted (not retained when the run ended). */
        public void discardCheckpoint(String flinkJobId) {
            checkpoints.get(flinkJobId).put("discarded", true);
        }

        /** The next {@code answers} reads of the run's checkpoints name the checkpoint before its latest, discarded. */
        public void staleCheckpointAnswers(String flinkJobId, int answers) {
            staleAnswers.put(flinkJobId, new AtomicInteger(answers));
        }

        /** The run's latest completed checkpoint: retained at {@code path}, its last acknowledgement at {@code acknowledged}. */
        public void checkpoint(String flinkJobId, long id, String path, Instant acknowledged) {
            Map<String, Object> completed = new HashMap<>();
            completed.put("className", "completed");
            completed.put("id", id);
            completed.put("status", "COMPLETED");
            completed.put("is_savepoint", false);
            completed.put("trigger_timestamp", acknowledged.toEpochMilli() - 50);
            completed.put("latest_ack_timestamp", acknowledged.toEpochMilli());
            completed.put("external_path", path);
            completed.put("discarded", false);
            checkpoints.put(flinkJobId, completed);
        }

        private void handle(HttpExchange exchange) throws IOException {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            calls.add(method + " " + path);
            Matcher m;
            if (method.equals("POST") && path.equals("/jars/upload")) {
                String text = new String(body, StandardCharsets.ISO_8859_1);
                if (!text.contains("name=\"jarfile\"")) {
                    answer(exchange, 400, Map.of("errors", List.of("no jarfile")));
                    return;
                }
                String id = UUID.randomUUID() + "_job.jar";
                jars.put(id, body);
                answer(exchange, 200, Map.of("filename", "/tmp/flink-web/flink-web-upload/" + id, "status", "success"));
            } else if (method.equals("POST") && (m = Pattern.compile("/jars/([^/]+)/run").matcher(path)).matches()) {
                JsonNode run = JSON.readTree(body);
                String jobId = run.path("jobId").asText();
                if (!jars.containsKey(m.group(1))) {
                    answer(exchange, 400, Map.of("errors", List.of("Jar file does not exist")));
                } else if (states.containsKey(jobId)) {
                    answer(exchange, 400, Map.of("errors", List.of("DuplicateJobSubmissionException: Job has already been submitted.")));
                } else if (refuseRuns != null) {
                    answer(exchange, 400, Map.of("errors", List.of("org.apache.flink.client.program.ProgramInvocationException: "
                            + refuseRuns)));
                } else {
                    runs.put(jobId, new Run(jobId, run.path("entryClass").asText(),
                            run.has("parallelism") ? run.path("parallelism").asInt() : null,
                            JSON.convertValue(run.path("programArgsList"), List.class),
                            run.has("savepointPath") ? run.path("savepointPath").asText() : null,
                            run.has("flinkConfiguration") ? JSON.convertValue(run.path("flinkConfiguration"), Map.class) : Map.of(),
                            jars.get(m.group(1)).length, libraries(jars.get(m.group(1)))));
                    states.put(jobId, "RUNNING");
                    answer(exchange, 200, Map.of("jobid", jobId));
                }
            } else if (method.equals("DELETE") && path.startsWith("/jars/")) {
                jars.remove(path.substring("/jars/".length()));
                answer(exchange, 200, Map.of());
            } else if (method.equals("GET") && (m = Pattern.compile("/jobs/([0-9a-f]{32})").matcher(path)).matches()) {
                String state = states.get(m.group(1));
                if (state == null) {
                    answer(exchange, 404, Map.of("errors", List.of("Job could not be found")));
                } else {
                    answer(exchange, 200, Map.of("jid", m.group(1), "state", state));
                }
            } else if (method.equals("GET") && (m = Pattern.compile("/jobs/([0-9a-f]{32})/checkpoints").matcher(path)).matches()) {
                if (!states.containsKey(m.group(1))) {
                    answer(exchange, 404, Map.of("errors", List.of("Job could not be found")));
                    return;
                }
                Map<String, Object> completed = checkpoints.get(m.group(1));
                AtomicInteger stale = staleAnswers.get(m.group(1));
                if (completed != null && stale != null && stale.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                    completed = new HashMap<>(completed);
                    long previous = ((Number) completed.get("id")).longValue() - 1;
                    completed.put("id", previous);
                    completed.put("external_path", ((String) completed.get("external_path")).replaceAll("chk-\\d+$", "chk-" + previous));
                    completed.put("latest_ack_timestamp", ((Number) completed.get("latest_ack_timestamp")).longValue() - 1000);
                    completed.put("discarded", true);
                }
                Map<String, Object> latest = new HashMap<>();
                latest.put("completed", completed);
                latest.put("savepoint", null);
                latest.put("failed", null);
                latest.put("restored", null);
                answer(exchange, 200, Map.of("counts", Map.of("completed", checkpoints.containsKey(m.group(1)) ? 1 : 0),
                        "latest", latest, "history", List.of()));
            } else if (method.equals("GET") && (m = Pattern.compile("/jobs/([0-9a-f]{32})/exceptions").matcher(path)).matches()) {
                answer(exchange, 200, Map.of("exceptionHistory", Map.of("entries",
                        List.of(Map.of("exceptionName", "java.lang.IllegalStateException", "stacktrace", failure)), "truncated", false)));
            } else if (method.equals("PATCH") && (m = Pattern.compile("/jobs/([0-9a-f]{32})").matcher(path)).matches()) {
                states.put(m.group(1), "CANCELED");
                answer(exchange, 202, Map.of());
            } else if (method.equals("POST") && (m = Pattern.compile("/jobs/([0-9a-f]{32})/(savepoints|stop)").matcher(path)).matches()) {
                JsonNode request = JSON.readTree(body);
                String trigger = request.path("triggerId").asText();
                String directory = request.path(m.group(2).equals("stop") ? "targetDirectory" : "target-directory").asText();
                if (!"RUNNING".equals(states.get(m.group(1)))) {
                    answer(exchange, 409, Map.of("errors", List.of("job is not running")));
                    return;
                }
                savepoints.put(trigger, directory + "/savepoint-" + m.group(1).substring(0, 6) + "-" + trigger.substring(0, 6));
                if (m.group(2).equals("stop")) {
                    states.put(m.group(1), "FINISHED");
                }
                answer(exchange, 202, Map.of("request-id", trigger));
            } else if (method.equals("GET")
                    && (m = Pattern.compile("/jobs/([0-9a-f]{32})/savepoints/([0-9a-f]+)").matcher(path)).matches()) {
                String location = savepoints.get(m.group(2));
                if (location == null) {
                    answer(exchange, 404, Map.of("errors", List.of("unknown trigger")));
                } else {
                    answer(exchange, 200, Map.of("status", Map.of("id", "COMPLETED"), "operation", Map.of("location", location)));
                }
            } else if (method.equals("POST") && path.equals("/savepoint-disposal")) {
                String savepoint = JSON.readTree(body).path("savepoint-path").asText();
                String trigger = UUID.randomUUID().toString().replace("-", "");
                disposals.put(trigger, savepoint);
                answer(exchange, 202, Map.of("request-id", trigger));
            } else if (method.equals("GET") && (m = Pattern.compile("/savepoint-disposal/([0-9a-f]+)").matcher(path)).matches()) {
                String savepoint = disposals.get(m.group(1));
                if (savepoint == null) {
                    answer(exchange, 404, Map.of("errors", List.of("unknown trigger")));
                } else if (refuseDisposals != null) {
                    answer(exchange, 200, Map.of("status", Map.of("id", "COMPLETED"), "operation", Map.of("failure-cause",
                            Map.of("class", "java.io.IOException", "stack-trace", "java.io.IOException: " + refuseDisposals))));
                } else {
                    disposed.add(savepoint);
                    answer(exchange, 200, Map.of("status", Map.of("id", "COMPLETED"), "operation", Map.of()));
                }
            } else {
                answer(exchange, 404, Map.of("errors", List.of("Not found: " + path)));
            }
        }
    }

    public static JobManager jobManager(String clusterId) {
        return JOB_MANAGERS.computeIfAbsent(clusterId, id -> {
            try {
                return new JobManager();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public Map<String, String> start() {
        try {
            provisioner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        provisioner.createContext("/api/v1/clusters/", exchange -> {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            String clusterId = parts[4];
            // As the pod-provisioner does: a cluster's JobManager address only for that cluster's token.
            String expected = "Bearer " + new ClusterTokens("test-secret-of-enough-length").issue(clusterId);
            if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 403, Map.of("title", "Token does not read this cluster"));
                return;
            }
            int port = jobManager(clusterId).server.getAddress().getPort();
            answer(exchange, 200, Map.of("host", "127.0.0.1", "rpcPort", 6123, "restPort", port));
        });
        provisioner.start();
        return Map.of("slipway.job-submission.job-managers.provisioner-url", "http://127.0.0.1:" + provisioner.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (provisioner != null) {
            provisioner.stop(0);
        }
        JOB_MANAGERS.values().forEach(jm -> jm.server.stop(0));
        JOB_MANAGERS.clear();
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
