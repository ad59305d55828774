package dev.slipway.provisioning;

import dev.slipway.contracts.resources.PodFact;

/** Receives what a backend observed of pods. Implementations must accept calls from any thread. */
@FunctionalInterface
public interface PodFactSink {

    void report(PodFact fact);
}
