package dev.slipway.contracts.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfig;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import dev.slipway.contracts.EventTypes;
import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.json.EventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates one JSON Schema per event record. The checked-in copies under
 * {@code src/main/resources/schemas} are the published contract; ContractsTest fails when they and
 * the records disagree. Regenerate with {@code ./mvnw -pl contracts compile exec:java}.
 */
public final class SchemaGenerator {

    /** Fields every event has; fields a newer producer adds are allowed (consumers skip and report them). */
    private static final List<String> REQUIRED = List.of("type", "eventId", "clusterId", "occurredAt");

    private final com.github.victools.jsonschema.generator.SchemaGenerator generator;

    public SchemaGenerator() {
        SchemaGeneratorConfig config = new SchemaGeneratorConfigBuilder(EventJson.mapper(), SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
                .with(Option.EXTRA_OPEN_API_FORMAT_VALUES)
                .build();
        this.generator = new com.github.victools.jsonschema.generator.SchemaGenerator(config);
    }

    /** Relative file name of a type's schema, e.g. {@code resources/PodReady.schema.json}. */
    public static String fileName(Class<? extends SlipwayEvent> type) {
        return EventTypes.family(type) + "/" + EventTypes.name(type) + ".schema.json";
    }

    public JsonNode schemaOf(Class<? extends SlipwayEvent> type) {
        ObjectNode schema = generator.generateSchema(type);
        ObjectNode ordered = EventJson.mapper().createObjectNode();
        ordered.put("$schema", schema.path("$schema").asText());
        ordered.put("title", EventTypes.name(type));
        ordered.put("description", "Payload of CloudEvents type " + EventTypes.ceType(type) + " on topic "
                + EventTypes.topic(type) + "; the record key is the cluster id.");
        schema.remove("$schema");
        // The discriminator comes from @JsonTypeInfo on the family, which the generator does not see on a record.
        ObjectNode properties = (ObjectNode) schema.get("properties");
        ObjectNode typeProperty = EventJson.mapper().createObjectNode().put("const", EventTypes.name(type));
        ObjectNode withType = EventJson.mapper().createObjectNode();
        withType.set("type", typeProperty);
        withType.setAll(properties);
        schema.set("properties", withType);
        ArrayNode required = schema.putArray("required");
        REQUIRED.forEach(required::add);
        ordered.setAll(schema);
        return ordered;
    }

    /** Every schema as the text that is checked in. */
    public Map<String, String> render() {
        Map<String, String> files = new LinkedHashMap<>();
        for (Class<? extends SlipwayEvent> type : EventTypes.all()) {
            try {
                String text = EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(schemaOf(type));
                files.put(fileName(type), text.replace("\r\n", "\n") + "\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return files;
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "contracts/src/main/resources/schemas");
        for (Map.Entry<String, String> file : new SchemaGenerator().render().entrySet()) {
            Path target = root.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            System.out.println("wrote " + target);
        }
    }
}
