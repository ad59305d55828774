package dev.slipway.submission;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.jobs.JobEvent;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.messaging.EventRecords;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Test helpers: tenants' requests, cluster bodies, team A's jobs, reading and writing events. */
final class TestSupport {

    static final String TEAM_A = "Bearer team-a-token-0123456789";
    static final String TEAM_B = "Bearer team-b-token-0123456789";
    static final String SMALL = "Bearer small-token-0123456789";
    static final String TOKEN_SECRET = "test-secret-of-enough-length";

    private TestSupport() {
    }

    static RequestSpecification as(String tenant) {
        return given().header("Authorization", tenant).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** A string as a JSON literal, quotes and newlines escaped. */
    static String json(String text) {
        try {
            return new ObjectMapper().writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String elastic(String name, int warmPool, int max) {
        return """
                {"name":"%s","mode":"ELASTIC","taskManager":{"cpu":1,"memoryMb":1024},"slotsPerTaskManager":2,
                 "elastic":{"warmPool":%d,"maxTaskManagers":%d,"idleTimeoutSeconds":60},
                 "flinkConfiguration":{"state.backend.type":"hashmap"}}
                """.formatted(name, warmPool, max);
    }

    static String statik(String name, int count) {
        return """
                {"name":"%s","mode":"STATIC","staticTaskManagers":%d}
                """.formatted(name, count);
    }

    /** Creates a cluster and answers its id. */
    static String create(String tenant, String body) {
        return as(tenant).body(body).post("/api/v1/clusters").then().statusCode(201).extract().path("id");
    }

    /** A cluster whose JobManager is ready (a PodReady fact on the topic), RUNNING; answers its id. */
    static String runningCluster(KafkaCompanion companion, String tenant, String prefix) {
        String cluster = create(tenant, elastic(uniqueName(prefix), 0, 4));
        write(companion, new PodReady(UUID.randomUUID().toString(), cluster, Instant.now(), cluster + "-jm-0", PodRole.JOB_MANAGER,
                "node-a", "127.0.0.1:8081"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> as(tenant).get("/api/v1/clusters/{id}", cluster).then()
                .body("status", equalTo("RUNNING")));
        return cluster;
    }

    /** A consumer of a topic from its beginning, committed records only, running until stopped. */
    static ConsumerTask<String, byte[]> watch(KafkaCompanion companion, String topic) {
        return companion.<String, byte[]>consumeWithDeserializers(StringDeserializer.class, ByteArrayDeserializer.class)
                .withGroupId("watch-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST)
                .withIsolationLevel(IsolationLevel.READ_COMMITTED)
                .fromTopics(topic);
    }

    static List<ConsumerRecord<String, byte[]>> recordsOf(ConsumerTask<String, byte[]> task, String key) {
        return task.getRecords().stream().filter(record -> key.equals(record.key())).toList();
    }

    static List<ResourceEvent> resourceEventsOf(ConsumerTask<String, byte[]> task, String key) {
        return recordsOf(task, key).stream()
                .map(record -> EventRecords.decode(record, ResourceEvent.class))
                .filter(DecodeResult.Decoded.class::isInstance)
                .map(decoded -> ((DecodeResult.Decoded<ResourceEvent>) decoded).event())
                .toList();
    }

    /** The job events of one job the task has read, in order; records that do not decode are skipped. */
    static List<JobEvent> jobEventsOf(ConsumerTask<String, byte[]> task, String jobId) {
        return task.getRecords().stream()
                .map(record -> EventRecords.decode(record, JobEvent.class))
                .filter(DecodeResult.Decoded.class::isInstance)
                .map(decoded -> ((DecodeResult.Decoded<JobEvent>) decoded).event())
                .filter(event -> event.jobId().equals(jobId))
                .toList();
    }

    static void write(KafkaCompanion companion, dev.slipway.contracts.SlipwayEvent... events) {
        for (dev.slipway.contracts.SlipwayEvent event : events) {
            companion.produce(String.class, byte[].class)
                    .fromRecords(EventRecords.toRecord(event, "/test", null))
                    .awaitCompletion();
        }
    }

    // ---- jobs of team A ----

    private static final Duration JOB_WAIT = Duration.ofSeconds(20);

    /** A JAR job of team A on the cluster, once it runs. */
    static String runningJob(String cluster) {
        return runningJob(JobsTest.upload(TEAM_A, JobsTest.JAR, cluster, JobsTest.MAIN));
    }

    /** The job this upload (team A's) creates, once it runs. */
    static String runningJob(RequestSpecification upload) {
        String id = upload.post("/api/v1/jobs").then().statusCode(201).extract().path("id");
        awaitJob(id, "RUNNING");
        return id;
    }

    /** Until team A's job is in {@code status} with no action in progress. */
    static void awaitJob(String id, String status) {
        await().atMost(JOB_WAIT).untilAsserted(() -> as(TEAM_A).get("/api/v1/jobs/{id}", id).then()
                .body("status", equalTo(status)).body("operation", nullValue()));
    }

    static JsonPath job(String id) {
        return as(TEAM_A).get("/api/v1/jobs/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    static String flinkJobId(String id) {
        return job(id).getString("flinkJobId");
    }

    /** Stops the running job with a savepoint and waits for FINISHED: the stop's savepoint. */
    static String stop(String id) {
        as(TEAM_A).post("/api/v1/jobs/{id}/stop", id).then().statusCode(202);
        awaitJob(id, "FINISHED");
        return job(id).getString("latestSavepoint");
    }

    /** Restarts the job from its newest restore point and waits for RUNNING. */
    static void restart(String id) {
        as(TEAM_A).post("/api/v1/jobs/{id}/restart", id).then().statusCode(202);
        awaitJob(id, "RUNNING");
    }

    /** A savepoint of the running job, once taken: its path. */
    static String savepoint(String id) {
        as(TEAM_A).post("/api/v1/jobs/{id}/savepoints", id).then().statusCode(202);
        awaitJob(id, "RUNNING");
        return job(id).getString("latestSavepoint");
    }
}
