package dev.slipway.submission;

import static dev.slipway.submission.TestSupport.TEAM_A;
import static dev.slipway.submission.TestSupport.as;
import static dev.slipway.submission.TestSupport.create;
import static dev.slipway.submission.TestSupport.elastic;
import static dev.slipway.submission.TestSupport.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.slipway.testkit.KafkaTestResource;
import dev.slipway.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * NUL and the other control characters, wherever a request can carry them (path, query, JSON strings and keys, form
 * fields): a 400 naming where, in the API's words, and nothing stored; before this, PostgreSQL's refusal of NUL was a 500.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TestingFlink.class)
class ControlCharactersTest {

    @Test
    void aNulInAJsonStringOrKeyIsA400NamingTheField() {
        String cluster = create(TEAM_A, elastic(uniqueName("nul"), 0, 2));
        as(TEAM_A).body("{\"type\":\"SQL\",\"clusterId\":\"" + cluster + "\",\"name\":\"a\\u0000b\",\"script\":\"INSERT INTO t SELECT 1;\"}")
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].message", containsString("control characters"))
                .body("detail", not(containsString("java.lang")));
        as(TEAM_A).body("{\"type\":\"SQL\",\"clusterId\":\"" + cluster + "\",\"script\":\"INSERT INTO t SELECT 1;\","
                        + "\"flinkConfiguration\":{\"pipeline.na\\u0000me\":\"x\"}}")
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", containsString("flinkConfiguration"));
        as(TEAM_A).body("{\"name\":\"bell\\u0007\",\"mode\":\"STATIC\",\"staticTaskManagers\":1}")
                .post("/api/v1/clusters").then().statusCode(400).body("errors[0].field", equalTo("name"));
        as(TEAM_A).get("/api/v1/jobs?clusterId={c}", cluster).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aNulInThePathOrAQueryParameterIsA400NamingIt() {
        as(TEAM_A).urlEncodingEnabled(false).get("/api/v1/jobs/abc%00def").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("path"));
        as(TEAM_A).urlEncodingEnabled(false).get("/api/v1/jobs?clusterId=x%00y").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("clusterId"));
        as(TEAM_A).urlEncodingEnabled(false).get("/api/v1/clusters/a%1Bb").then().statusCode(400)
                .body("errors[0].field", equalTo("path"));
    }

    @Test
    void aNulInAFormFieldIsA400NamingIt() {
        String cluster = create(TEAM_A, elastic(uniqueName("nulform"), 0, 2));
        JobsTest.upload(TEAM_A, JobsTest.JAR, cluster, JobsTest.MAIN).multiPart("name", "a\u0000b").post("/api/v1/jobs")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("name"));
        JobsTest.upload(TEAM_A, JobsTest.JAR, cluster, JobsTest.MAIN).multiPart("args", "--x").multiPart("args", "y\u0000")
                .post("/api/v1/jobs").then().statusCode(400).body("errors[0].field", equalTo("args[1]"));
    }

    @Test
    void aFlagIsTrueOrFalseNothingElse() {
        as(TEAM_A).get("/api/v1/clusters?includeDeleted=maybe").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("includeDeleted"));
        as(TEAM_A).get("/api/v1/clusters?includeDeleted=true").then().statusCode(200);
        as(TEAM_A).delete("/api/v1/clusters/{id}?force=yes", uniqueName("nope")).then().statusCode(400)
                .body("errors[0].field", equalTo("force"));
    }

    @Test
    void aNumberSentAsAStringOrAFractionIsNotTakenForAWholeNumber() {
        String cluster = create(TEAM_A, elastic(uniqueName("strict"), 0, 2));
        for (String parallelism : new String[] {"\"2\"", "1.9"}) {
            as(TEAM_A).body("{\"type\":\"SQL\",\"clusterId\":\"" + cluster + "\",\"parallelism\":" + parallelism
                            + ",\"script\":\"INSERT INTO t SELECT 1;\"}")
                    .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("parallelism"))
                    .body("errors[0].message", equalTo("must be a whole number"))
                    .body("detail", not(containsString("java")));
        }
    }

    @TestHTTPResource("/")
    URL serviceUrl;

    @Test
    void aMultipartBodyThatDoesNotMatchItsBoundaryIsA400() {
        io.restassured.RestAssured.given().header("Authorization", TEAM_A)
                .header("Content-Type", "multipart/form-data; boundary=expected-boundary")
                .body(("--another-boundary\r\nContent-Disposition: form-data; name=\"clusterId\"\r\n\r\nx\r\n--another-boundary--\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("body")).body("detail", containsString("boundary"));
    }

    @Test
    void aFormOfMorePartsThanTheServiceReadsIsRefusedSayingTheLimit() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1_001; i++) {
            body.append("--b\r\nContent-Disposition: form-data; name=\"args\"\r\n\r\n").append(i).append("\r\n");
        }
        body.append("--b--\r\n");
        io.restassured.RestAssured.given().header("Authorization", TEAM_A).header("Content-Type", "multipart/form-data; boundary=b")
                .body(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/jobs").then().statusCode(413).contentType("application/problem+json")
                .body("errors[0].field", equalTo("body")).body("detail", containsString("at most 1000 parts"))
                .body("detail", not(containsString("Exception")));
    }

    /**
     * A client that says the body's size and waits for 100-continue (as curl does for large uploads) learns the limit without
     * sending a byte of it. Over a plain socket: Java 17's HttpClient waits forever for a 100 that does not come (JDK-8286171).
     */
    @Test
    void aBodyOverTheServicesLimitIsRefusedSayingTheLimitBeforeItIsSent() throws Exception {
        long tooLarge = 200L * 1024 * 1024;
        try (Socket socket = new Socket(serviceUrl.getHost(), serviceUrl.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + TEAM_A
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + tooLarge + "\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = answerOf(socket);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json")
                    .contains("reads at most 105906176").contains("\"field\":\"body\"").doesNotContain("100 Continue");
        }
    }

    @Test
    void aUrlLongerThanTheServiceReadsIsRefusedSayingTheLimit() {
        as(TEAM_A).queryParam("clusterId", "c".repeat(9_000)).get("/api/v1/jobs").then().statusCode(414)
                .contentType("application/problem+json").body("errors[0].field", equalTo("url"))
                .body("detail", containsString("at most 8192"));
    }

    /** The response's head and its body of Content-Length bytes. */
    private static String answerOf(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                return head.toString();
            }
            head.append((char) next);
        }
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        return head + (length.find() ? new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8) : "");
    }

    @Test
    void tabsAndLineBreaksAreText() {
        String cluster = create(TEAM_A, elastic(uniqueName("tabs"), 0, 2));
        as(TEAM_A).body("{\"type\":\"SQL\",\"clusterId\":\"" + cluster + "\",\"script\":"
                        + "\"CREATE TABLE s (x INT) WITH ('connector' = 'datagen');\\r\\n\\tCREATE TABLE t (x INT) WITH ('connector' = 'blackhole');"
                        + "\\nINSERT INTO t SELECT x FROM s;\"}")
                .post("/api/v1/jobs").then().statusCode(201);
    }
}
