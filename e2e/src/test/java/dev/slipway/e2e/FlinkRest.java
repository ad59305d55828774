package dev.slipway.e2e;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The few calls of Flink's REST API the tests need: upload and run a jar, follow a job. */
public final class FlinkRest {

    private final String url;

    public FlinkRest(String url) {
        this.url = url;
    }

    /** The JobManager's REST API. */
    public String url() {
        return url;
    }

    public String uploadJar(File jar) {
        String filename = given().multiPart("jarfile", jar, "application/x-java-archive")
                .post(url + "/jars/upload").then().statusCode(200).extract().path("filename");
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /** Starts the jar's entry class; answers the Flink job id. */
    public String run(String jarId, String entryClass, int parallelism, List<String> programArgs) {
        return given().contentType("application/json")
                .body(Map.of("entryClass", entryClass, "parallelism", parallelism, "programArgsList", programArgs))
                .post(url + "/jars/" + jarId + "/run").then().log().ifValidationFails().statusCode(200).extract().path("jobid");
    }

    /** Starts the jar's entry class with job configuration of its own (Flink's {@code flinkConfiguration}); answers the job id. */
    public String run(String jarId, String entryClass, int parallelism, List<String> programArgs, Map<String, String> configuration) {
        return given().contentType("application/json")
                .body(Map.of("entryClass", entryClass, "parallelism", parallelism, "programArgsList", programArgs,
                        "flinkConfiguration", configuration))
                .post(url + "/jars/" + jarId + "/run").then().log().ifValidationFails().statusCode(200).extract().path("jobid");
    }

    public String jobState(String jobId) {
        return given().get(url + "/jobs/" + jobId).then().statusCode(200).extract().path("state");
    }

    /** States of the job's tasks, e.g. {@code RUNNING} for each vertex. */
    public List<String> vertexStates(String jobId) {
        return given().get(url + "/jobs/" + jobId).then().statusCode(200).extract().path("vertices.status");
    }

    /** Whether every task of the job runs; false also while the JobManager is gone, not elected (503) or knows no such job. */
    public boolean allRunning(String jobId) {
        try {
            List<String> states = vertexStates(jobId);
            return !states.isEmpty() && states.stream().allMatch("RUNNING"::equals);
        } catch (AssertionError | RuntimeException notYet) {
            return false;
        }
    }

    /** The TaskManagers (resource ids: pod names) that run any of the job's tasks. */
    public Set<String> taskManagersRunning(String jobId) {
        List<String> vertices = given().get(url + "/jobs/" + jobId).then().statusCode(200).extract().path("vertices.id");
        Set<String> taskManagers = new TreeSet<>();
        for (String vertex : vertices) {
            taskManagers.addAll(given().get(url + "/jobs/" + jobId + "/vertices/" + vertex + "/taskmanagers").then().statusCode(200)
                    .extract().<List<String>>path("taskmanagers.'taskmanager-id'"));
        }
        return taskManagers;
    }

    /** The names of the job's vertices (operators chained into tasks), as Flink's plan shows them. */
    public List<String> vertexNames(String jobId) {
        return given().get(url + "/jobs/" + jobId).then().statusCode(200).extract().path("vertices.name");
    }

    /** A user accumulator's value as Flink reports it (a string). */
    public String accumulator(String jobId, String name) {
        JsonPath json = given().get(url + "/jobs/" + jobId + "/accumulators").then().statusCode(200).extract().jsonPath();
        return json.getString("'user-task-accumulators'.find { it.name == '" + name + "' }.value");
    }

    public List<String> taskManagers() {
        return given().get(url + "/taskmanagers").then().statusCode(200).extract().path("taskmanagers.id");
    }

    /** Free slots of each registered TaskManager, by its resource id (the pod name). */
    public Map<String, Integer> freeSlots() {
        JsonPath json = given().get(url + "/taskmanagers").then().statusCode(200).extract().jsonPath();
        List<String> ids = json.getList("taskmanagers.id");
        List<Integer> free = json.getList("taskmanagers.freeSlots");
        Map<String, Integer> slots = new TreeMap<>();
        for (int i = 0; i < ids.size(); i++) {
            slots.put(ids.get(i), free.get(i));
        }
        return slots;
    }

    public long completedCheckpoints(String jobId) {
        return given().get(url + "/jobs/" + jobId + "/checkpoints").then().statusCode(200).extract().jsonPath()
                .getLong("counts.completed");
    }

    /** The job's checkpointing as Flink runs it ({@code /jobs/:id/checkpoints/config}): state backend, storage, incremental. */
    public JsonPath checkpointConfig(String jobId) {
        return given().get(url + "/jobs/" + jobId + "/checkpoints/config").then().statusCode(200).extract().jsonPath();
    }

    /** The id of the job's latest completed checkpoint. */
    public long latestCompletedCheckpoint(String jobId) {
        return given().get(url + "/jobs/" + jobId + "/checkpoints").then().statusCode(200).extract().jsonPath()
                .getLong("latest.completed.id");
    }

    /** The id of the checkpoint the job last restored from, or null if it never restored. */
    public Long restoredCheckpoint(String jobId) {
        JsonPath json = given().get(url + "/jobs/" + jobId + "/checkpoints").then().statusCode(200).extract().jsonPath();
        Object restored = json.get("latest.restored");
        return restored == null ? null : json.getLong("latest.restored.id");
    }

    /** When the job last restored from a checkpoint (epoch ms, Flink's {@code restore_timestamp}), or null. */
    public Long restoredAtMillis(String jobId) {
        JsonPath json = given().get(url + "/jobs/" + jobId + "/checkpoints").then().statusCode(200).extract().jsonPath();
        Object restored = json.get("latest.restored");
        return restored == null ? null : json.getLong("latest.restored.restore_timestamp");
    }

    public void cancel(String jobId) {
        given().patch(url + "/jobs/" + jobId + "?mode=cancel").then().statusCode(202);
    }
}
