package dev.slipway.contracts.credentials;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.slipway.contracts.SlipwayEvent;

/**
 * What verifiers of cluster tokens must know, on the compacted {@code slipway.credentials.v1}, keyed by cluster id: the
 * newest record of a cluster is all that counts, so every verifier reads the topic from its start.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = TokensRevoked.class, name = "TokensRevoked")
})
public sealed interface CredentialEvent extends SlipwayEvent permits TokensRevoked {
}
