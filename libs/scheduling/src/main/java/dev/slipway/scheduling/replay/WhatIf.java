package dev.slipway.scheduling.replay;

import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.scheduling.Policy;
import java.util.List;

/**
 * The same demand under two policies, side by side. Both runs are simulated with the same
 * provisioner model, so the difference is the policy's alone.
 */
public record WhatIf(Policy baselinePolicy, ReplayReport baseline, Policy alternativePolicy, ReplayReport alternative) {

    /** {@code events} may be a recorded trace (it is externalized first) or simulation input. */
    public static WhatIf compare(List<ResourceEvent> events, ProvisionerModel model, Policy baseline, Policy alternative) {
        List<ResourceEvent> external = Simulator.externalize(events);
        return new WhatIf(baseline, Simulator.run(external, model, baseline).report(),
                alternative, Simulator.run(external, model, alternative).report());
    }

    public long podSecondsSaved() {
        return baseline.podSeconds() - alternative.podSeconds();
    }

    public String render() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%-24s %28s %28s %10s%n", "", "baseline", "what-if", "change"));
        text.append(String.format("%-24s %28s %28s%n", "policy", abbreviate(baselinePolicy.describe()),
                abbreviate(alternativePolicy.describe())));
        row(text, "pod-seconds", baseline.podSeconds(), alternative.podSeconds());
        row(text, "request to ready mean ms", baseline.requestToReadyMeanMillis(), alternative.requestToReadyMeanMillis());
        row(text, "request to ready p50 ms", baseline.requestToReadyP50Millis(), alternative.requestToReadyP50Millis());
        row(text, "request to ready p99 ms", baseline.requestToReadyP99Millis(), alternative.requestToReadyP99Millis());
        row(text, "TaskManagers served", baseline.taskManagersServed(), alternative.taskManagersServed());
        row(text, "  from the warm pool", baseline.taskManagersFromWarm(), alternative.taskManagersFromWarm());
        row(text, "TaskManagers refused", baseline.taskManagersRefused(), alternative.taskManagersRefused());
        row(text, "decisions", baseline.decisions(), alternative.decisions());
        return text.toString();
    }

    private static void row(StringBuilder text, String name, long before, long after) {
        String change = before == 0 ? (after == 0 ? "0%" : "new") : String.format("%+.1f%%", 100.0 * (after - before) / before);
        text.append(String.format("%-24s %,28d %,28d %10s%n", name, before, after, change));
    }

    private static String abbreviate(String text) {
        return text.length() <= 28 ? text : text.substring(0, 27) + "…";
    }
}
