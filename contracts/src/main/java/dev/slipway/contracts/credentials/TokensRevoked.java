package dev.slipway.contracts.credentials;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.slipway.contracts.Events;
import java.time.Instant;

/**
 * The cluster's tokens of every generation below {@code generation} are revoked: its resource manager's and its reader's.
 * Tokens of {@code generation} are the cluster's tokens from now on.
 */
public record TokensRevoked(
        String eventId,
        String clusterId,
        Instant occurredAt,
        @JsonPropertyDescription("The cluster's token generation from now on; tokens of a lower one are refused") long generation,
        @JsonPropertyDescription("Who revoked them and why, as the revoking request said") String reason)
        implements CredentialEvent {

    public TokensRevoked {
        Events.require(eventId, clusterId, occurredAt);
        if (generation < 1) {
            throw new IllegalArgumentException("a revocation raises the token generation to 1 or more, not " + generation);
        }
    }
}
