package dev.slipway.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.json.EventCodec;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.schema.SchemaGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ContractsTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void everyEventTypeHasASample() {
        Set<Class<?>> sampled = SampleEvents.all().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(EventTypes.all());
    }

    @Test
    void checkedInSchemasMatchTheRecords() throws IOException {
        Map<String, String> generated = new SchemaGenerator().render();
        assertThat(generated).hasSameSizeAs(EventTypes.all());
        for (Map.Entry<String, String> file : generated.entrySet()) {
            String checkedIn = resource("/schemas/" + file.getKey());
            if (checkedIn == null) {
                fail("schema " + file.getKey() + " is not checked in; run ./mvnw -pl contracts compile exec:java");
            }
            assertThat(checkedIn)
                    .as("schema %s differs from its record; if the change is intended and backward compatible, "
                            + "run ./mvnw -pl contracts compile exec:java and commit", file.getKey())
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void everyGoldenSampleStillParsesToItsType() throws IOException {
        for (Class<? extends SlipwayEvent> type : EventTypes.all()) {
            String golden = resource("/golden/v1/" + EventTypes.name(type) + ".json");
            assertThat(golden).as("golden sample of %s", type.getSimpleName()).isNotNull();
            DecodeResult<SlipwayEvent> result = codec.decode(golden);
            assertThat(result).as("golden %s", type.getSimpleName()).isInstanceOf(DecodeResult.Decoded.class);
            DecodeResult.Decoded<SlipwayEvent> decoded = (DecodeResult.Decoded<SlipwayEvent>) result;
            assertThat(decoded.event()).isInstanceOf(type);
            assertThat(decoded.unknownFields()).as("golden %s uses only known fields", type.getSimpleName()).isEmpty();
        }
    }

    @Test
    void goldenSamplesEqualTheSampleEvents() throws IOException {
        // Guards the meaning of old payloads, not just that they parse: each field still lands where it did.
        for (SlipwayEvent sample : SampleEvents.all()) {
            String golden = resource("/golden/v1/" + EventTypes.name(sample.getClass()) + ".json");
            assertThat(codec.decodeOrThrow(golden)).isEqualTo(sample);
        }
    }

    @Test
    void everyEventSurvivesARoundTrip() {
        for (SlipwayEvent sample : SampleEvents.all()) {
            DecodeResult<SlipwayEvent> result = codec.decode(codec.encode(sample), EventTypes.ceType(sample.getClass()));
            assertThat(result).isEqualTo(new DecodeResult.Decoded<>(sample, List.of()));
        }
    }

    @Test
    void unknownFieldsAreToleratedAndReported() {
        String json = """
                {"type":"PodReady","eventId":"e-7","clusterId":"c-1","occurredAt":"2026-11-25T08:00:14Z",
                 "podName":"c-1-tm-0","role":"TASK_MANAGER","nodeName":"node-a","address":"10.0.0.7:6122",
                 "zone":"eu-1a","labels":{"a":"b"}}
                """;
        DecodeResult<SlipwayEvent> result = codec.decode(json);
        assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
        DecodeResult.Decoded<SlipwayEvent> decoded = (DecodeResult.Decoded<SlipwayEvent>) result;
        assertThat(decoded.event()).hasFieldOrPropertyWithValue("podName", "c-1-tm-0");
        assertThat(decoded.unknownFields()).containsExactly("zone", "labels");
    }

    @Test
    void unknownNestedFieldsAreReportedWithTheirPath() {
        String golden = SampleEvents.all().stream()
                .filter(e -> e instanceof dev.slipway.contracts.resources.ClusterSpecCreated)
                .map(codec::encodeToString).findFirst().orElseThrow();
        String withExtra = golden.replace("\"slotsPerTaskManager\"", "\"gpu\":1,\"slotsPerTaskManager\"");
        DecodeResult.Decoded<SlipwayEvent> decoded = (DecodeResult.Decoded<SlipwayEvent>) codec.decode(withExtra);
        assertThat(decoded.unknownFields()).containsExactly("spec.gpu");
    }

    @Test
    void unknownEventTypesAreRejectedWithTheirName() {
        DecodeResult<SlipwayEvent> result = codec.decode(
                "{\"type\":\"PodHibernated\",\"eventId\":\"x\",\"clusterId\":\"c\",\"occurredAt\":\"2026-11-25T08:00:00Z\"}");
        assertThat(result).isEqualTo(new DecodeResult.Rejected<>(DecodeResult.Rejection.UNKNOWN_TYPE,
                "unknown event type 'PodHibernated'"));
    }

    @Test
    void theCeTypeHeaderNamesTheTypeWhenThePayloadDoesNot() {
        String json = "{\"eventId\":\"t\",\"clusterId\":\"c\",\"occurredAt\":\"2026-11-25T08:00:00Z\"}";
        DecodeResult<SlipwayEvent> result = codec.decode(json.getBytes(StandardCharsets.UTF_8),
                "dev.slipway.resources.ClockTicked");
        assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
    }

    @Test
    void malformedPayloadsAreRejectedWithAReasonNamingTheField() {
        assertRejected("not json at all", DecodeResult.Rejection.MALFORMED, "not JSON");
        assertRejected("[1,2]", DecodeResult.Rejection.MALFORMED, "not a JSON object");
        assertRejected("{\"clusterId\":\"c\"}", DecodeResult.Rejection.MALFORMED, "no event type");
        assertRejected("{\"type\":\"PodDeleted\",\"eventId\":\"x\",\"clusterId\":\"c\",\"occurredAt\":\"2026-11-25T08:00:00Z\"}",
                DecodeResult.Rejection.MALFORMED, "podName");
        assertRejected("{\"type\":\"ClockTicked\",\"eventId\":\"x\",\"clusterId\":\"c\",\"occurredAt\":\"yesterday\"}",
                DecodeResult.Rejection.MALFORMED, "occurredAt");
        assertRejected("{\"type\":\"ResourcesRequested\",\"eventId\":\"x\",\"clusterId\":\"c\","
                + "\"occurredAt\":\"2026-11-25T08:00:00Z\",\"requestId\":\"r\",\"count\":0}",
                DecodeResult.Rejection.MALFORMED, "count must be at least 1");
    }

    @Test
    void withAMatchingCeTypeHeaderEveryPayloadDecodesAsWithoutOne() {
        // The header lets the codec bind in one pass; what it reports must not change.
        List<String> payloads = List.of(
                "{\"type\":\"PodReady\",\"eventId\":\"e-7\",\"clusterId\":\"c-1\",\"occurredAt\":\"2026-11-25T08:00:14Z\","
                        + "\"podName\":\"c-1-tm-0\",\"role\":\"TASK_MANAGER\",\"nodeName\":\"node-a\",\"address\":\"10.0.0.7:6122\","
                        + "\"zone\":\"eu-1a\",\"labels\":{\"a\":\"b\"}}",
                "{\"type\":\"PodDeleted\",\"eventId\":\"x\",\"clusterId\":\"c\",\"occurredAt\":\"2026-11-25T08:00:00Z\"}",
                "{\"type\":\"ClockTicked\",\"eventId\":\"x\",\"clusterId\":\"c\",\"occurredAt\":\"yesterday\"}",
                "{\"type\":\"ResourcesRequested\",\"eventId\":\"x\",\"clusterId\":\"c\","
                        + "\"occurredAt\":\"2026-11-25T08:00:00Z\",\"requestId\":\"r\",\"count\":0}",
                "{\"type\":\"ClockTicked\",\"eventId\":\"x\",\"clusterId\":\"c\",\"occurredAt\":\"2026-11-25T08:00:00Z\"} trailing",
                "{\"type\":\"ClockTicked\",\"eventId\":\"x\",\"clusterId\":\"c\",\"occurredAt\":\"2026-11-25T08:00:00Z\"}");
        for (String json : payloads) {
            String name = json.substring(9, json.indexOf('"', 9));
            String ceType = EventTypes.ceType(EventTypes.byName(name).orElseThrow());
            assertThat(codec.decode(json.getBytes(StandardCharsets.UTF_8), ceType)).as(json).isEqualTo(codec.decode(json));
        }
        for (SlipwayEvent sample : SampleEvents.all()) {
            String ceType = EventTypes.ceType(sample.getClass());
            assertThat(EventTypes.byCeType(ceType)).contains(sample.getClass());
            for (Class<? extends SlipwayEvent> family : EventTypes.FAMILIES) {
                assertThat(codec.decode(codec.encode(sample), ceType, family)).as("%s as a %s", ceType, family.getSimpleName())
                        .isEqualTo(codec.decode(codec.encode(sample), null, family));
            }
        }
    }

    @Test
    void aCeTypeHeaderThatContradictsThePayloadIsRejected() {
        String json = "{\"type\":\"ClockTicked\",\"eventId\":\"t\",\"clusterId\":\"c\",\"occurredAt\":\"2026-11-25T08:00:00Z\"}";
        DecodeResult<SlipwayEvent> wrongName = codec.decode(json.getBytes(StandardCharsets.UTF_8), "dev.slipway.resources.PodReady");
        DecodeResult<SlipwayEvent> wrongFamily = codec.decode(json.getBytes(StandardCharsets.UTF_8), "dev.slipway.decisions.ClockTicked");
        assertThat(wrongName).isInstanceOf(DecodeResult.Rejected.class);
        assertThat(((DecodeResult.Rejected<SlipwayEvent>) wrongName).reason()).contains("does not match");
        assertThat(wrongFamily).isInstanceOf(DecodeResult.Rejected.class);
    }

    @Test
    void aFamilyDecoderRefusesEventsOfAnotherFamily() {
        SlipwayEvent decision = SampleEvents.all().stream().filter(e -> e instanceof Decision).findFirst().orElseThrow();
        DecodeResult<ResourceEvent> result = codec.decode(codec.encode(decision), null, ResourceEvent.class);
        assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
        assertThat(((DecodeResult.Rejected<ResourceEvent>) result).kind()).isEqualTo(DecodeResult.Rejection.WRONG_FAMILY);
    }

    @Test
    void everyTypeHasATopicAndADistinctCeType() {
        Set<String> ceTypes = new HashSet<>();
        for (Class<? extends SlipwayEvent> type : EventTypes.all()) {
            assertThat(EventTypes.topic(type)).startsWith("slipway.").endsWith(".v1");
            assertThat(ceTypes.add(EventTypes.ceType(type))).as("ce_type of %s is unique", type).isTrue();
            assertThat(EventTypes.byName(EventTypes.name(type))).contains(type);
        }
        assertThat(EventTypes.ceType(dev.slipway.contracts.resources.PodReady.class))
                .isEqualTo("dev.slipway.resources.PodReady");
    }

    @Test
    void cloudEventHeadersCarryIdTypeSourceTimeAndSubject() {
        SlipwayEvent event = SampleEvents.all().stream()
                .filter(dev.slipway.contracts.resources.PodReady.class::isInstance).findFirst().orElseThrow();
        Map<String, String> headers = CloudEventHeaders.of(event, EventSources.POD_PROVISIONER);
        assertThat(headers).containsEntry(CloudEventHeaders.ID, event.eventId())
                .containsEntry(CloudEventHeaders.TYPE, "dev.slipway.resources.PodReady")
                .containsEntry(CloudEventHeaders.SOURCE, EventSources.POD_PROVISIONER)
                .containsEntry(CloudEventHeaders.TIME, "2026-11-25T08:00:14Z")
                .containsEntry(CloudEventHeaders.SUBJECT, SampleEvents.CLUSTER)
                .containsEntry(CloudEventHeaders.SPEC_VERSION, "1.0")
                .containsEntry(CloudEventHeaders.CONTENT_TYPE, "application/json");
    }

    private void assertRejected(String json, DecodeResult.Rejection kind, String reasonPart) {
        DecodeResult<SlipwayEvent> result = codec.decode(json);
        assertThat(result).as(json).isInstanceOf(DecodeResult.Rejected.class);
        DecodeResult.Rejected<SlipwayEvent> rejected = (DecodeResult.Rejected<SlipwayEvent>) result;
        assertThat(rejected.kind()).as(json).isEqualTo(kind);
        assertThat(rejected.reason()).as(json).contains(reasonPart);
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = ContractsTest.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
