package dev.slipway.contracts;

import dev.slipway.contracts.credentials.CredentialEvent;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.jobs.JobEvent;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.contracts.telemetry.MetricSample;
import dev.slipway.contracts.telemetry.TelemetryEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of event types: the JSON {@code type} name, the CloudEvents {@code ce_type} and the
 * topic of each concrete record, found by walking the sealed hierarchy so nothing is listed twice.
 */
public final class EventTypes {

    private static final String CE_TYPE_PREFIX = "dev.slipway.";

    private static final Map<String, Class<? extends SlipwayEvent>> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, Class<? extends SlipwayEvent>> BY_CE_TYPE = new HashMap<>();

    /** The sealed families; every concrete event type is found below one of them. */
    public static final List<Class<? extends SlipwayEvent>> FAMILIES =
            List.of(ResourceEvent.class, Decision.class, JobEvent.class, TelemetryEvent.class, CredentialEvent.class);

    static {
        FAMILIES.forEach(EventTypes::collect);
        BY_NAME.values().forEach(type -> BY_CE_TYPE.put(ceType(type), type));
    }

    private EventTypes() {
    }

    /** All concrete event records, in declaration order. */
    public static List<Class<? extends SlipwayEvent>> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** The JSON {@code type} property value, e.g. {@code PodReady}. */
    public static String name(Class<? extends SlipwayEvent> type) {
        return type.getSimpleName();
    }

    /** The CloudEvents type, e.g. {@code dev.slipway.resources.PodReady}. */
    public static String ceType(Class<? extends SlipwayEvent> type) {
        return CE_TYPE_PREFIX + family(type) + "." + name(type);
    }

    public static Optional<Class<? extends SlipwayEvent>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The type whose {@link #ceType} is exactly {@code ceType}. */
    public static Optional<Class<? extends SlipwayEvent>> byCeType(String ceType) {
        return Optional.ofNullable(BY_CE_TYPE.get(ceType));
    }

    /** The topic an event of this type is published to. */
    public static String topic(Class<? extends SlipwayEvent> type) {
        if (ResourceEvent.class.isAssignableFrom(type)) {
            return Topics.RESOURCES;
        } else if (Decision.class.isAssignableFrom(type)) {
            return Topics.DECISIONS;
        } else if (JobEvent.class.isAssignableFrom(type)) {
            return Topics.JOBS;
        } else if (CredentialEvent.class.isAssignableFrom(type)) {
            return Topics.CREDENTIALS;
        } else if (LogRecord.class.equals(type)) {
            return Topics.LOGS;
        } else if (MetricSample.class.equals(type)) {
            return Topics.METRICS;
        }
        throw new IllegalArgumentException("no topic for " + type.getName());
    }

    /** The family folder name used for ce_type and schema files: resources, decisions, jobs, telemetry, credentials. */
    public static String family(Class<? extends SlipwayEvent> type) {
        String pkg = type.getPackageName();
        return pkg.substring(pkg.lastIndexOf('.') + 1);
    }

    @SuppressWarnings("unchecked")
    private static void collect(Class<?> type) {
        if (type.isSealed()) {
            List<Class<?>> permitted = new ArrayList<>();
            Collections.addAll(permitted, type.getPermittedSubclasses());
            permitted.forEach(EventTypes::collect);
        } else if (type.isRecord()) {
            Class<? extends SlipwayEvent> event = (Class<? extends SlipwayEvent>) type;
            Class<?> previous = BY_NAME.put(name(event), event);
            if (previous != null) {
                throw new IllegalStateException("two event types named " + name(event));
            }
        }
    }
}
