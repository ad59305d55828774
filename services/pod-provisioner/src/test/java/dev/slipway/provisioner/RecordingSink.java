package dev.slipway.provisioner;

import dev.slipway.contracts.resources.PodFact;
import dev.slipway.provisioning.PodFactSink;
import java.util.ArrayList;
import java.util.List;

/** Keeps every reported fact, in order, for assertions. */
public final class RecordingSink implements PodFactSink {

    private final List<PodFact> facts = new ArrayList<>();

    @Override
    public synchronized void report(PodFact fact) {
        facts.add(fact);
    }

    public synchronized List<PodFact> facts() {
        return List.copyOf(facts);
    }

    /** "PodCreated tm-0" style lines of one pod's facts, in order. */
    public synchronized List<String> of(String podName) {
        return facts.stream().filter(fact -> fact.podName().equals(podName))
                .map(fact -> fact.getClass().getSimpleName() + " " + fact.podName()).toList();
    }
}
