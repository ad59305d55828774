package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.create;
import static dev.slipway.submission.TestSupport.elastic;
import static dev.slipway.submission.TestSupport.uniqueName;
import static dev.slipway.submission.TestSupport.write;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.slipway.contracts.decisions.ClusterHealth;
import dev.slipway.contracts.decisions.ClusterHealthChanged;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.testkit.InjectKafkaCompanion;
import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Status follows the pod facts and the scheduler's health decisions, as the other services publish them. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ClusterStatusTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectKafkaCompanion
    KafkaCompanion companion;

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private void awaitStatus(String cluster, String status) {
        await().atMost(WAIT).untilAsserted(() -> as(TEAM_A).get("/api/v1/clusters/{id}", cluster)
                .then().statusCode(200).body("status", equalTo(status)));
    }

    @Test
    void theClusterRunsWhenItsJobManagerIsReadyAndDegradesWithTheSchedulersReason() {
        String cluster = create(TEAM_A, elastic(uniqueName("status"), 0, 4));
        String jm = cluster + "-jm-0";
        Instant now = Instant.now();
        write(companion, new PodCreated(id(), cluster, now, jm, PodRole.JOB_MANAGER, null, "node-a"));
        awaitStatus(cluster, "PROVISIONING");
        PodReady ready = new PodReady(id(), cluster, now, jm, PodRole.JOB_MANAGER, "node-a", "10.0.0.5:8081");
        write(companion, ready, ready); // delivered twice: the same fact
        awaitStatus(cluster, "RUNNING");
        as(TEAM_A).get("/api/v1/clusters/{id}", cluster).then()
                .body("statusReason", nullValue())
                .body("pods.find { it.name == '" + jm + "' }.phase", equalTo("READY"))
                .body("pods.find { it.name == '" + jm + "' }.address", equalTo("10.0.0.5:8081"));

        write(companion, new ClusterHealthChanged(id(), cluster, now, id(), "3 TaskManagers failed in a row; backing off 10 s",
                ClusterHealth.DEGRADED, "OOMKilled"));
        awaitStatus(cluster, "DEGRADED");
        as(TEAM_A).get("/api/v1/clusters/{id}", cluster).then()
                .body("statusReason", equalTo("3 TaskManagers failed in a row; backing off 10 s; last failure: OOMKilled"));

        write(companion, new ClusterHealthChanged(id(), cluster, now, id(), "pod ready", ClusterHealth.HEALTHY, null));
        awaitStatus(cluster, "RUNNING");
    }

    @Test
    void losingTheRunningJobManagerDegradesTheClusterUntilAReplacementIsReady() {
        String cluster = create(TEAM_A, elastic(uniqueName("jm-loss"), 0, 4));
        Instant now = Instant.now();
        write(companion, new PodReady(id(), cluster, now, cluster + "-jm-0", PodRole.JOB_MANAGER, "node-a", "a:8081"));
        awaitStatus(cluster, "RUNNING");
        write(companion, new PodFailed(id(), cluster, now, cluster + "-jm-0", "OOMKilled", 137, "killed"));
        awaitStatus(cluster, "DEGRADED");
        as(TEAM_A).get("/api/v1/clusters/{id}", cluster).then()
                .body("statusReason", containsString("no JobManager is ready: JobManager " + cluster + "-jm-0 failed (OOMKilled)"));
        // A late fact of the failed pod does not revive it.
        write(companion, new PodReady(id(), cluster, now, cluster + "-jm-0", PodRole.JOB_MANAGER, "node-a", "a:8081"),
                new PodReady(id(), cluster, now, cluster + "-jm-1", PodRole.JOB_MANAGER, "node-b", "b:8081"));
        awaitStatus(cluster, "RUNNING");
        as(TEAM_A).get("/api/v1/clusters/{id}", cluster).then()
                .body("pods.find { it.name == '" + cluster + "-jm-0' }.phase", equalTo("GONE"));
    }

    @Test
    void aDeletedClusterIsDeletingUntilItsLastPodIsGone() {
        String cluster = create(TEAM_A, elastic(uniqueName("teardown"), 0, 4));
        Instant now = Instant.now();
        write(companion, new PodReady(id(), cluster, now, cluster + "-jm-0", PodRole.JOB_MANAGER, "node-a", "a:8081"),
                new PodReady(id(), cluster, now, cluster + "-tm-0", PodRole.TASK_MANAGER, "node-a", "a:6122"));
        await().atMost(WAIT).untilAsserted(() -> as(TEAM_A).get("/api/v1/clusters/{id}", cluster)
                .then().body("pods.size()", equalTo(2)));

        as(TEAM_A).delete("/api/v1/clusters/{id}", cluster).then().statusCode(202)
                .body("status", equalTo("DELETING")).body("statusReason", equalTo("2 pods still to go"));
        write(companion, new PodDeleted(id(), cluster, now, cluster + "-tm-0"));
        await().atMost(WAIT).untilAsserted(() -> as(TEAM_A).get("/api/v1/clusters/{id}", cluster)
                .then().body("statusReason", equalTo("1 pod still to go")));
        write(companion, new PodDeleted(id(), cluster, now, cluster + "-jm-0"));
        awaitStatus(cluster, "DELETED");
    }

    @Test
    void factsOfUnknownClustersAreSkipped() {
        String stranger = "not-ours-" + UUID.randomUUID().toString().substring(0, 8);
        write(companion, new PodReady(id(), stranger, Instant.now(), stranger + "-jm-0", PodRole.JOB_MANAGER, "n", "a:1"));
        // The follower keeps going: a later fact of a known cluster still lands.
        String cluster = create(TEAM_A, elastic(uniqueName("after"), 0, 2));
        write(companion, new PodReady(id(), cluster, Instant.now(), cluster + "-jm-0", PodRole.JOB_MANAGER, "n", "a:1"));
        awaitStatus(cluster, "RUNNING");
    }
}
