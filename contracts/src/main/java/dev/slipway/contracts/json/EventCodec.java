package dev.slipway.contracts.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.contracts.EventTypes;
import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.json.DecodeResult.Decoded;
import dev.slipway.contracts.json.DecodeResult.Rejected;
import dev.slipway.contracts.json.DecodeResult.Rejection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns events into JSON payloads and back. Decoding never throws: bad input becomes a
 * {@link Rejected} with a reason fit for the dead-letter topic, and fields added by newer producers
 * are skipped and reported.
 */
public final class EventCodec {

    private static final String TYPE_PROPERTY = "type";

    private final ObjectMapper mapper = EventJson.mapper();
    /** By concrete type; they fail on unknown fields, which sends such a payload to the checked path. */
    private final Map<Class<?>, ObjectReader> strictReaders = new ConcurrentHashMap<>();

    public byte[] encode(SlipwayEvent event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event, e);
        }
    }

    public String encodeToString(SlipwayEvent event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    /** Decodes any event; {@code ceType} (the ce_type header, may be null) names the type when the payload does not. */
    public DecodeResult<SlipwayEvent> decode(byte[] payload, String ceType) {
        return decode(payload, ceType, SlipwayEvent.class);
    }

    public DecodeResult<SlipwayEvent> decode(String payload) {
        return decode(payload.getBytes(StandardCharsets.UTF_8), null, SlipwayEvent.class);
    }

    /** Decodes an event that must belong to {@code family}, e.g. {@code ResourceEvent.class}. */
    public <T extends SlipwayEvent> DecodeResult<T> decode(byte[] payload, String ceType, Class<T> family) {
        T event = bindDirectly(payload, ceType, family);
        return event != null ? new Decoded<>(event, List.of()) : decodeChecked(payload, ceType, family);
    }

    /**
     * The common case in one pass: the ce_type header names a type of the family and the payload is exactly
     * that type with no field this version does not know. Null for anything else, which the checked path
     * then describes precisely; parsing into a tree first and binding it after costs twice as much.
     */
    private <T extends SlipwayEvent> T bindDirectly(byte[] payload, String ceType, Class<T> family) {
        if (payload == null || ceType == null) {
            return null;
        }
        Class<? extends SlipwayEvent> type = EventTypes.byCeType(ceType).orElse(null);
        if (type == null || !family.isAssignableFrom(type)) {
            return null;
        }
        try {
            Object event = strictReaders.computeIfAbsent(type, mapper::readerFor).readValue(payload);
            return type.isInstance(event) ? family.cast(event) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private <T extends SlipwayEvent> DecodeResult<T> decodeChecked(byte[] payload, String ceType, Class<T> family) {
        if (payload == null || payload.length == 0) {
            return new Rejected<>(Rejection.MALFORMED, "empty payload");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            return new Rejected<>(Rejection.MALFORMED, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Rejected<>(Rejection.MALFORMED, "not JSON: " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode object)) {
            return new Rejected<>(Rejection.MALFORMED, "payload is not a JSON object");
        }
        Optional<String> typeName = typeName(object, ceType);
        if (typeName.isEmpty()) {
            return new Rejected<>(Rejection.MALFORMED, "no event type: neither a 'type' field nor a ce_type header");
        }
        Optional<Class<? extends SlipwayEvent>> type = EventTypes.byName(typeName.get());
        if (type.isEmpty()) {
            return new Rejected<>(Rejection.UNKNOWN_TYPE, "unknown event type '" + typeName.get() + "'");
        }
        if (ceType != null && !ceType.isBlank() && !ceType.equals(EventTypes.ceType(type.get()))) {
            return new Rejected<>(Rejection.MALFORMED, "ce_type header '" + ceType + "' does not match the payload's type '"
                    + typeName.get() + "' (expected " + EventTypes.ceType(type.get()) + ")");
        }
        if (!family.isAssignableFrom(type.get())) {
            return new Rejected<>(Rejection.WRONG_FAMILY,
                    "event type '" + typeName.get() + "' is not a " + family.getSimpleName());
        }
        object.put(TYPE_PROPERTY, typeName.get());
        UnknownFieldCollector unknown = new UnknownFieldCollector();
        ObjectReader reader = mapper.readerFor(type.get()).withHandler(unknown);
        try {
            T event = reader.readValue(object);
            return new Decoded<>(event, unknown.paths);
        } catch (IOException | RuntimeException e) {
            return new Rejected<>(Rejection.MALFORMED, typeName.get() + ": " + describe(e));
        }
    }

    private static Optional<String> typeName(ObjectNode object, String ceType) {
        JsonNode type = object.get(TYPE_PROPERTY);
        if (type != null && type.isTextual() && !type.asText().isBlank()) {
            return Optional.of(type.asText());
        }
        if (ceType != null && !ceType.isBlank()) {
            // ce_type is dev.slipway.<family>.<Name>; the name is the last segment.
            return Optional.of(ceType.substring(ceType.lastIndexOf('.') + 1));
        }
        return Optional.empty();
    }

    private static String describe(Throwable e) {
        if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
            // The record's constructor refused a value; its message names the field.
            return vie.getCause().getMessage() == null ? vie.getCause().toString() : vie.getCause().getMessage();
        }
        if (e instanceof InvalidFormatException ife) {
            return "field '" + path(ife) + "': cannot read " + ife.getValue() + " as " + ife.getTargetType().getSimpleName();
        }
        if (e instanceof MismatchedInputException mie) {
            return "field '" + path(mie) + "': " + mie.getOriginalMessage();
        }
        if (e instanceof JsonProcessingException jpe) {
            return jpe.getOriginalMessage();
        }
        return e.toString();
    }

    private static String path(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Skips fields this version does not know and remembers where they were. */
    private static final class UnknownFieldCollector extends DeserializationProblemHandler {

        private final List<String> paths = new ArrayList<>();

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                Object beanOrClass, String propertyName) throws IOException {
            String pointer = p.getParsingContext().pathAsPointer().toString();
            String path = pointer.isEmpty() ? "" : pointer.substring(1).replace('/', '.');
            if (!path.endsWith(propertyName)) {
                path = path.isEmpty() ? propertyName : path + "." + propertyName;
            }
            paths.add(path);
            p.skipChildren();
            return true;
        }
    }

    /** For callers that prefer an exception, e.g. replaying a file that must be clean. */
    public SlipwayEvent decodeOrThrow(String payload) {
        DecodeResult<SlipwayEvent> result = decode(payload);
        if (result instanceof Decoded<SlipwayEvent> decoded) {
            return decoded.event();
        }
        Rejected<SlipwayEvent> rejected = (Rejected<SlipwayEvent>) result;
        throw new UncheckedIOException(new IOException(rejected.describe()));
    }
}
