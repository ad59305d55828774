package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.create;
import static dev.slipway.submission.TestSupport.elastic;
import static dev.slipway.submission.TestSupport.uniqueName;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.slipway.testkit.KafkaTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away under the REST API and comes back with its data: meanwhile reads and writes are answered 503 with
 * Retry-After as problem+json (what a caller can retry), not a 500; afterwards the service answers as before without a
 * restart, and what was stored before is there.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(value = OwnDatabaseResource.class, restrictToAnnotatedClass = true)
class DatabaseOutageTest {

    @Test
    void whileTheDatabaseIsAwayCallsAreA503WithRetryAfterAndAfterwardsTheServiceAnswersAsBefore() {
        String name = uniqueName("outage");
        String id = create(TEAM_A, elastic(name, 0, 4));

        OwnDatabaseResource.server().stop();
        try {
            as(TEAM_A).get("/api/v1/clusters/{id}", id).then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("detail", containsString("database"));
            as(TEAM_A).body(elastic(uniqueName("refused"), 0, 4)).post("/api/v1/clusters").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue());
        } finally {
            OwnDatabaseResource.server().start();
        }

        await("the service answers again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> as(TEAM_A).get("/api/v1/clusters/{id}", id).statusCode() == 200);
        as(TEAM_A).get("/api/v1/clusters/{id}", id).then().body("name", equalTo(name));
        create(TEAM_A, elastic(uniqueName("after"), 0, 4));
    }
}
