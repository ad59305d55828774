package dev.slipway.contracts;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.jobs.JobEvent;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.telemetry.TelemetryEvent;
import java.time.Instant;

/**
 * Every event on a Slipway topic. The families ({@link ResourceEvent}, {@link Decision},
 * {@link JobEvent}, {@link TelemetryEvent}, {@link dev.slipway.contracts.credentials.CredentialEvent}) are sealed within their packages, so a switch over one is
 * checked by the compiler; this root cannot be sealed across packages without a named module.
 * Adding a type means adding a schema and a golden sample too (see ContractsTest).
 */
public interface SlipwayEvent {

    /** Unique id; becomes {@code ce_id}. Deterministic where the producer is (decisions). */
    String eventId();

    /** The Kafka record key and {@code ce_subject}. */
    String clusterId();

    /** When it happened; becomes {@code ce_time}. The only time the scheduler ever sees. */
    Instant occurredAt();
}
