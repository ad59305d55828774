package dev.slipway.contracts.resources;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.slipway.contracts.SlipwayEvent;

/**
 * Everything the scheduler's decisions depend on, for one cluster, on {@code slipway.resources.v1}.
 * One topic keyed by cluster id gives one total order per cluster, so a replay sees what the live
 * scheduler saw.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClusterSpecCreated.class, name = "ClusterSpecCreated"),
        @JsonSubTypes.Type(value = ClusterSpecChanged.class, name = "ClusterSpecChanged"),
        @JsonSubTypes.Type(value = ClusterDeleted.class, name = "ClusterDeleted"),
        @JsonSubTypes.Type(value = ResourcesRequested.class, name = "ResourcesRequested"),
        @JsonSubTypes.Type(value = ResourcesReleased.class, name = "ResourcesReleased"),
        @JsonSubTypes.Type(value = PodCreated.class, name = "PodCreated"),
        @JsonSubTypes.Type(value = PodReady.class, name = "PodReady"),
        @JsonSubTypes.Type(value = PodFailed.class, name = "PodFailed"),
        @JsonSubTypes.Type(value = PodDeleted.class, name = "PodDeleted"),
        @JsonSubTypes.Type(value = ClockTicked.class, name = "ClockTicked")
})
public sealed interface ResourceEvent extends SlipwayEvent
        permits ClusterSpecEvent, ResourcesRequested, ResourcesReleased, PodFact, ClockTicked {
}
