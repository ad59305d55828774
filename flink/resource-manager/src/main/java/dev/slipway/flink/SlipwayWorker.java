package dev.slipway.flink;

import java.util.Objects;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.clusterframework.types.ResourceIDRetrievable;

/** A TaskManager pod; its resource id is the pod name, which the TaskManager registers with. */
public final class SlipwayWorker implements ResourceIDRetrievable {

    private final ResourceID resourceId;

    public SlipwayWorker(String podName) {
        this.resourceId = new ResourceID(Objects.requireNonNull(podName, "podName"));
    }

    @Override
    public ResourceID getResourceID() {
        return resourceId;
    }

    public String podName() {
        return resourceId.getResourceIdString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SlipwayWorker worker && worker.resourceId.equals(resourceId);
    }

    @Override
    public int hashCode() {
        return resourceId.hashCode();
    }

    @Override
    public String toString() {
        return podName();
    }
}
