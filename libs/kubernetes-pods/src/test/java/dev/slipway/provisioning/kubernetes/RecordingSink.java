package dev.slipway.provisioning.kubernetes;

import dev.slipway.contracts.resources.PodFact;
import dev.slipway.provisioning.PodFactSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every fact reported, from any thread. */
final class RecordingSink implements PodFactSink {

    private final List<PodFact> facts = new CopyOnWriteArrayList<>();

    @Override
    public void report(PodFact fact) {
        facts.add(fact);
    }

    List<PodFact> facts() {
        return List.copyOf(facts);
    }

    List<PodFact> of(String podName) {
        return facts.stream().filter(fact -> fact.podName().equals(podName)).toList();
    }

    /** The kinds of the pod's facts in order, e.g. [PodCreated, PodReady]. */
    List<String> kinds(String podName) {
        return of(podName).stream().map(fact -> fact.getClass().getSimpleName()).toList();
    }

    <T extends PodFact> T last(String podName, Class<T> kind) {
        List<PodFact> ofPod = of(podName);
        for (int i = ofPod.size() - 1; i >= 0; i--) {
            if (kind.isInstance(ofPod.get(i))) {
                return kind.cast(ofPod.get(i));
            }
        }
        throw new AssertionError("no " + kind.getSimpleName() + " of " + podName + " in " + ofPod);
    }
}
