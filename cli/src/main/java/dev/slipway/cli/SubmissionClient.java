package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * job-submission's API as the tenant of {@link Settings#tenantToken()}: clusters and jobs. Every error
 * it answers (problem+json naming the field, 404 for what is not the tenant's) becomes one CLI line.
 */
public final class SubmissionClient {

    static final String SUBMISSION = "job-submission";
    static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED");

    private final String url;
    private final String token;

    public SubmissionClient(Settings settings) {
        this.url = settings.submissionUrl() + "/api/v1";
        this.token = settings.tenantToken();
    }

    public JsonNode createCluster(ObjectNode request) {
        return Http.post(SUBMISSION, url + "/clusters", request.toString(), token);
    }

    public JsonNode clusters() {
        return Http.get(SUBMISSION, url + "/clusters", token);
    }

    public JsonNode cluster(String id) {
        return Http.get(SUBMISSION, url + "/clusters/" + Http.encode(id), token);
    }

    public JsonNode deleteCluster(String id, boolean force) {
        return Http.delete(SUBMISSION, url + "/clusters/" + Http.encode(id) + (force ? "?force=true" : ""), token);
    }

    /** Until the cluster is RUNNING; a DEGRADED, DELETING or DELETED cluster ends the wait with its reason. */
    public JsonNode awaitClusterRunning(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode cluster = cluster(id);
            String status = cluster.path("status").asText();
            if (status.equals("RUNNING")) {
                return cluster;
            }
            if (Set.of("DEGRADED", "DELETING", "DELETED").contains(status)) {
                throw new CliException("cluster " + id + " is " + status + reason(cluster) + " (./slipway clusters get " + id + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new CliException("cluster " + id + " was not RUNNING within " + timeout.toSeconds() + " s (it is " + status
                        + reason(cluster) + "; ./slipway logs pod-provisioner)");
            }
            PlatformApi.sleep(500);
        }
    }

    /**
     * A SQL job with its Maven {@code dependencies}: JSON, or a multipart upload when jars of the user's go with it
     * ({@code jars}, in the parts {@code dependency}).
     */
    public JsonNode submitSql(String cluster, String name, String script, Integer parallelism, List<String> dependencies, List<Path> jars) {
        if (!jars.isEmpty()) {
            Map<String, List<String>> fields = common(cluster, name, parallelism, dependencies);
            fields.put("type", List.of("SQL"));
            fields.put("script", List.of(script));
            return Http.multipart(SUBMISSION, url + "/jobs", fields, jars.stream().map(jar -> new Http.FilePart("dependency", jar)).toList(),
                    token);
        }
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("type", "SQL");
        body.put("clusterId", cluster);
        if (name != null) {
            body.put("name", name);
        }
        if (parallelism != null) {
            body.put("parallelism", parallelism);
        }
        body.put("script", script);
        dependencies.forEach(body.putArray("dependencies")::add);
        return Http.post(SUBMISSION, url + "/jobs", body.toString(), token);
    }

    public JsonNode submitJar(String cluster, Path jar, String name, String entryClass, Integer parallelism, List<String> args,
            List<String> dependencies, List<Path> jars) {
        Map<String, List<String>> fields = common(cluster, name, parallelism, dependencies);
        if (entryClass != null) {
            fields.put("entryClass", List.of(entryClass));
        }
        fields.put("args", args);
        List<Http.FilePart> files = new ArrayList<>();
        files.add(new Http.FilePart("jar", jar));
        jars.forEach(dependency -> files.add(new Http.FilePart("dependency", dependency)));
        return Http.multipart(SUBMISSION, url + "/jobs", fields, files, token);
    }

    private static Map<String, List<String>> common(String cluster, String name, Integer parallelism, List<String> dependencies) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("clusterId", List.of(cluster));
        if (name != null) {
            fields.put("name", List.of(name));
        }
        if (parallelism != null) {
            fields.put("parallelism", List.of(parallelism.toString()));
        }
        if (!dependencies.isEmpty()) {
            fields.put("dependencies", dependencies);
        }
        return fields;
    }

    /** Revokes the cluster's tokens; answers the cluster with its new ones. */
    public JsonNode revokeTokens(String id) {
        return Http.post(SUBMISSION, url + "/clusters/" + Http.encode(id) + "/token-revocations", "{}", token);
    }

    public JsonNode jobs(String cluster) {
        return Http.get(SUBMISSION, url + "/jobs" + (cluster == null ? "" : "?clusterId=" + Http.encode(cluster)), token);
    }

    public JsonNode job(String id) {
        return Http.get(SUBMISSION, url + "/jobs/" + Http.encode(id), token);
    }

    /** cancel, savepoints, stop, restart, rollback, migrate: 202 with the job, its {@code operation} in progress. */
    public JsonNode act(String id, String action, String body) {
        return Http.post(SUBMISSION, url + "/jobs/" + Http.encode(id) + "/" + action, body, token);
    }

    /** Until the job has no action in progress and is in one of {@code wanted} or has ended; answers the job. */
    public JsonNode awaitJob(String id, Set<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = job(id);
            String status = job.path("status").asText();
            boolean settled = job.path("operation").isMissingNode() || job.path("operation").isNull();
            if (settled && (wanted.contains(status) || TERMINAL.contains(status))) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new CliException("job " + id + " is still " + status + (settled ? "" : " (" + job.path("operation").asText() + " in progress)")
                        + " after " + timeout.toSeconds() + " s" + reason(job) + " (./slipway jobs get " + id + ")");
            }
            PlatformApi.sleep(500);
        }
    }

    static String reason(JsonNode resource) {
        String reason = resource.path("failureCause").asText(resource.path("statusReason").asText(""));
        return reason.isBlank() ? "" : ": " + reason.lines().findFirst().orElse(reason);
    }
}
