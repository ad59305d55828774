package dev.slipway.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's side of {@code contracts/src/test/resources/driver-contract/}: {@code PlatformClient} sends exactly the
 * recorded requests and reads the recorded answers. {@code DriverContractTest} in the resource-scheduler replays the same
 * files against the real scheduler.
 */
class PlatformClientContractTest {

    private static final String CLUSTER = "c0123456789ab";
    private static final String TOKEN = "slw1.the-clusters-own-token";
    private static final String OTHER_TOKEN = "slw1.another-clusters-token";
    private static final Map<String, String> PLACEHOLDERS = Map.of("clusterId", CLUSTER, "clusterToken", TOKEN,
            "otherClusterToken", OTHER_TOKEN);
    private static final ResourceRequest ONE_TASK_MANAGER = new ResourceRequest("a1b2c3d4-0", 1,
            new ResourceRequest.TaskManagerSize(2.0, 1728, 0));

    private final RecordingScheduler scheduler = newScheduler();

    @AfterEach
    void stop() {
        scheduler.close();
    }

    @Test
    void everyRecordedInteractionIsCheckedHere() {
        assertThat(DriverContract.names())
                .containsExactlyInAnyOrder("follow-pods", "list-pods", "release", "request-refused", "request-task-managers");
    }

    @Test
    void requestTaskManagers() throws Exception {
        DriverContract.Interaction interaction = serve("request-task-managers");

        client(TOKEN).requestTaskManagers(ONE_TASK_MANAGER).get(10, TimeUnit.SECONDS);

        assertSent(interaction);
    }

    @Test
    void release() throws Exception {
        DriverContract.Interaction interaction = serve("release");

        client(TOKEN).release(new Release(CLUSTER + "-tm-0", SlipwayResourceManagerDriver.RELEASED_BY_FLINK)).get(10, TimeUnit.SECONDS);

        assertSent(interaction);
    }

    @Test
    void aRefusedRequestFailsAsNotRetryable() {
        DriverContract.Interaction interaction = serve("request-refused");

        CompletableFuture<Void> refused = client(OTHER_TOKEN).requestTaskManagers(ONE_TASK_MANAGER);

        assertThat(refused).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(PlatformException.class, failure -> {
                    assertThat(failure.retryable()).isFalse();
                    assertThat(failure.getMessage()).contains("answered 403");
                });
        assertSent(interaction);
    }

    @Test
    void listPods() throws Exception {
        DriverContract.Interaction interaction = serve("list-pods");

        List<PlatformPod> pods = client(TOKEN).pods().get(10, TimeUnit.SECONDS);

        assertSent(interaction);
        assertReadAsRecorded(interaction.response().get("body"), pods);
        assertThat(pods).extracting(PlatformPod::taskManager).containsExactly(false, true, true);
        assertThat(pods).noneMatch(PlatformPod::terminating);
    }

    @Test
    void followPods() throws Exception {
        DriverContract.Interaction interaction = serve("follow-pods");
        List<PlatformPod> events = new ArrayList<>();

        client(TOKEN).followPods(events::add).get(10, TimeUnit.SECONDS);

        assertSent(interaction);
        assertReadAsRecorded(interaction.response().get("events"), events);
        assertThat(events).extracting(PlatformPod::taskManager).containsExactly(false, true, true, true);
        assertThat(events).extracting(PlatformPod::terminating).containsExactly(false, false, false, true);
    }

    private DriverContract.Interaction serve(String name) {
        DriverContract.Interaction interaction = DriverContract.load(name, PLACEHOLDERS);
        scheduler.answerWith(interaction.response());
        return interaction;
    }

    private PlatformClient client(String token) {
        return new PlatformClient(scheduler.url() + "/", CLUSTER, token);
    }

    /** One request, with the recorded method, path, headers and (as JSON, exactly) body. */
    private void assertSent(DriverContract.Interaction interaction) {
        assertThat(scheduler.received()).singleElement().satisfies(received -> {
            assertThat(received.method()).isEqualTo(interaction.method());
            assertThat(received.path()).isEqualTo(interaction.path());
            interaction.request().path("headers").fields().forEachRemaining(header ->
                    assertThat(received.header(header.getKey())).as("header %s", header.getKey()).isEqualTo(header.getValue().asText()));
            JsonNode recordedBody = interaction.request().get("body");
            if (recordedBody == null) {
                assertThat(received.body()).isEmpty();
            } else {
                assertThat(DriverContract.parse(received.body())).as("body sent").isEqualTo(recordedBody);
            }
        });
    }

    /** Each recorded object became one record, in order, whose components hold every recorded field's value. */
    private static void assertReadAsRecorded(JsonNode recorded, List<? extends Record> read) {
        assertThat(read).hasSize(recorded.size());
        for (int i = 0; i < read.size(); i++) {
            Record record = read.get(i);
            for (Iterator<Map.Entry<String, JsonNode>> fields = recorded.get(i).fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                assertThat(component(record, field.getKey())).as("%s of %s", field.getKey(), record)
                        .isEqualTo(value.isNull() ? null : value.asText());
            }
        }
    }

    private static Object component(Record record, String name) {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            if (component.getName().equals(name)) {
                try {
                    return component.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new AssertionError(record.getClass().getSimpleName() + " does not read the recorded field " + name);
    }

    private static RecordingScheduler newScheduler() {
        try {
            return new RecordingScheduler();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
