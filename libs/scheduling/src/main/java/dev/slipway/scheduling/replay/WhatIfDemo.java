package dev.slipway.scheduling.replay;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.scheduling.Policy;
import java.time.Duration;

/**
 * Shows the scheduling core at work on a generated trace: records it under the clusters' own
 * policies, proves a replay reproduces every decision, prints a few decisions with their reasons,
 * then tries another policy on the same demand.
 *
 * <p>Arguments: clusters (200), seed (1), what-if warm pool (0), what-if idle timeout in seconds (60).
 */
public final class WhatIfDemo {

    private WhatIfDemo() {
    }

    public static void main(String[] args) {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        int warmPool = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        long idleTimeout = args.length > 3 ? Long.parseLong(args[3]) : 60;

        System.out.printf("Generating one hour of demand on %d clusters (seed %d)...%n", clusters, seed);
        TraceGenerator.Trace trace = TraceGenerator.generate(
                new TraceGenerator.Options(clusters, Duration.ofHours(1), Duration.ofSeconds(15), seed));
        Simulator.Result recorded = trace.simulate(Policy.RECORDED);
        System.out.println();
        System.out.println("== Recorded run (each cluster's own policy)");
        System.out.print(recorded.report().render());

        System.out.println();
        System.out.println("== Some decisions and why");
        recorded.decisions().stream().filter(d -> d.clusterId().equals(recorded.decisions().get(0).clusterId()))
                .limit(12).forEach(WhatIfDemo::print);

        System.out.println();
        System.out.println("== Replay of the recorded events");
        System.out.println(Replay.verify(recorded.trace(), recorded.decisions()).render());

        Policy alternative = Policy.RECORDED.withWarmPool(warmPool).withIdleTimeoutSeconds(idleTimeout);
        System.out.println();
        System.out.println("== What if: " + alternative.describe());
        System.out.print(WhatIf.compare(recorded.trace(), trace.model(), Policy.RECORDED, alternative).render());
    }

    private static void print(Decision decision) {
        System.out.printf("  %s %-14s %s%n", decision.occurredAt(), decision.getClass().getSimpleName(), decision.reason());
    }
}
