package dev.slipway.contracts.decisions;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.slipway.contracts.SlipwayEvent;

/**
 * The scheduler's output on {@code slipway.decisions.v1}. Every decision is deterministic: its id is
 * derived from the causing event and its content, so replaying the same events yields the same ids
 * and a consumer can skip one it has applied already.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ProvisionPod.class, name = "ProvisionPod"),
        @JsonSubTypes.Type(value = DeletePod.class, name = "DeletePod"),
        @JsonSubTypes.Type(value = PodAssigned.class, name = "PodAssigned"),
        @JsonSubTypes.Type(value = RequestRefused.class, name = "RequestRefused"),
        @JsonSubTypes.Type(value = ClusterHealthChanged.class, name = "ClusterHealthChanged")
})
public sealed interface Decision extends SlipwayEvent permits ProvisionPod, DeletePod, PodAssigned, RequestRefused,
        ClusterHealthChanged {

    /** Same as {@link #eventId()}: the deterministic decision id. */
    default String decisionId() {
        return eventId();
    }

    /** The id of the resource event that caused this decision. */
    String causeEventId();

    /** Why, in words a person can read: "request r-17 needs 2 TaskManagers; 1 warm; provisioning 1". */
    String reason();
}
