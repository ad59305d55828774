package dev.slipway.submission;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The web console is this service's static page; it learns where the indexer answers before anyone signs in. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ConsoleTest {

    @Test
    void theConsoleIsServedWithItsScriptAndStyle() {
        given().get("/console/").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("<title>Slipway console</title>"), containsString("console.js"));
        given().get("/console/console.js").then().statusCode(200)
                .body(containsString("/api/v1/clusters"), containsString("/api/v1/console/settings"));
        given().get("/console/console.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @Test
    void itsSettingsNameTheIndexerAndTheSchedulerWithoutAToken() {
        given().get("/api/v1/console/settings").then().statusCode(200).contentType(startsWith("application/json"))
                .body("indexerUrl", equalTo("http://indexer.test:8084")).body("schedulerUrl", equalTo("http://scheduler.test:8081"));
    }
}
