package dev.slipway.contracts.jobs;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.slipway.contracts.SlipwayEvent;

/** Job lifecycle on {@code slipway.jobs.v1}, keyed by the cluster the job runs on. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobSubmitted.class, name = "JobSubmitted"),
        @JsonSubTypes.Type(value = JobStatusChanged.class, name = "JobStatusChanged"),
        @JsonSubTypes.Type(value = SavepointCompleted.class, name = "SavepointCompleted")
})
public sealed interface JobEvent extends SlipwayEvent permits JobSubmitted, JobStatusChanged, SavepointCompleted {

    /** The platform's job id (stable across versions, restarts and migrations). */
    String jobId();
}
