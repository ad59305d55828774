package dev.slipway.loadtests;

import dev.slipway.contracts.resources.ClockTicked;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.scheduling.Policy;
import dev.slipway.scheduling.Scheduler;
import dev.slipway.scheduling.replay.Simulator;
import dev.slipway.scheduling.replay.TraceGenerator;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

/**
 * Decisions per second of the scheduling core: a generated trace of many clusters (recorded once
 * through the simulator, so it holds real pod facts) is fed through a fresh {@link Scheduler} several
 * times on one thread; each round prints events per second. The first round includes JIT warm-up.
 *
 * <p>Arguments: clusters (10000), trace minutes (60), rounds (5).
 */
public final class SchedulerBenchmark {

    private SchedulerBenchmark() {
    }

    public static void main(String[] args) {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;

        System.out.printf("generating a %d-minute trace of %,d clusters...%n", minutes, clusters);
        long started = System.nanoTime();
        TraceGenerator.Trace trace = TraceGenerator.generate(
                new TraceGenerator.Options(clusters, Duration.ofMinutes(minutes), Duration.ofSeconds(15), 1L));
        Simulator.Result recorded = trace.simulate(Policy.RECORDED);
        trace = null;
        List<ResourceEvent> events = recorded.trace();
        long recordedDecisions = recorded.decisions().size();
        System.out.printf("recorded %,d events and %,d decisions in %.1f s%n", events.size(), recordedDecisions,
                (System.nanoTime() - started) / 1e9);
        System.out.print(recorded.report().render());
        long ticks = events.stream().filter(ClockTicked.class::isInstance).count();
        System.out.printf("of the events, %,d (%.0f%%) are clock ticks, %,d are specs, requests, releases and pod facts%n",
                ticks, 100.0 * ticks / events.size(), events.size() - ticks);
        recorded = null; // only the events stay reachable while measuring

        double best = 0;
        for (int round = 1; round <= rounds; round++) {
            System.gc(); // start each round with the garbage of the last one gone
            Scheduler scheduler = new Scheduler();
            long decisions = 0;
            long gcBefore = gcMillis();
            long begin = System.nanoTime();
            for (ResourceEvent event : events) {
                decisions += scheduler.handle(event).size();
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            double rate = events.size() / seconds;
            best = Math.max(best, rate);
            System.out.printf("round %d: %,d events, %,d decisions in %.3f s (%,d ms of it GC) = %,.0f events/s%n",
                    round, events.size(), decisions, seconds, gcMillis() - gcBefore, rate);
            if (decisions != recordedDecisions) {
                throw new IllegalStateException("round " + round + " decided " + decisions + " times, the recording "
                        + recordedDecisions);
            }
        }
        System.out.printf("best: %,.0f events/s on one thread (%,d clusters)%n", best, clusters);
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }
}
