package dev.slipway.scheduling.replay;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.PodAssigned;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.decisions.RequestRefused;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.scheduling.Policy;
import dev.slipway.scheduling.Scheduler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Feeds recorded events through a fresh scheduler, to reproduce or to compare decisions. */
public final class Replay {

    private Replay() {
    }

    /** Replays {@code events} in order under {@code policy}. */
    public static ReplayResult run(Iterable<ResourceEvent> events, Policy policy) {
        Scheduler scheduler = new Scheduler(policy);
        ReportCollector report = new ReportCollector();
        List<Decision> decisions = new ArrayList<>();
        for (ResourceEvent event : events) {
            List<Decision> made = scheduler.handle(event);
            report.observe(event, made);
            decisions.addAll(made);
        }
        return new ReplayResult(decisions, report.report());
    }

    /**
     * Replays {@code events} under the recorded policy and compares, event by event, with the
     * decisions that were recorded when they first happened. A decision recorded twice under one id is one decision: at
     * least once, a scheduler that dies between publishing and committing has its batch published again by the next owner,
     * with the same ids (they are deterministic), and the provisioner applies it once.
     */
    public static DeterminismCheck verify(Iterable<ResourceEvent> events, List<Decision> recorded) {
        List<Decision> replayed = run(events, Policy.RECORDED).decisions();
        Map<String, List<Decision>> expected = byCause(onceEach(recorded));
        Map<String, List<Decision>> actual = byCause(replayed);
        Set<String> causes = new LinkedHashSet<>(expected.keySet());
        causes.addAll(actual.keySet());
        List<Difference> differences = new ArrayList<>();
        for (String cause : causes) {
            List<Decision> want = expected.getOrDefault(cause, List.of());
            List<Decision> got = actual.getOrDefault(cause, List.of());
            if (!Objects.equals(want, got)) {
                differences.add(new Difference(cause, describe(want), describe(got)));
            }
        }
        return new DeterminismCheck(Math.max(recorded.size(), replayed.size()), differences);
    }

    /** The first of each event id, in order. */
    private static List<Decision> onceEach(List<Decision> decisions) {
        Set<String> seen = new HashSet<>();
        return decisions.stream().filter(decision -> seen.add(decision.eventId())).toList();
    }

    private static Map<String, List<Decision>> byCause(List<Decision> decisions) {
        Map<String, List<Decision>> byCause = new LinkedHashMap<>();
        for (Decision decision : decisions) {
            byCause.computeIfAbsent(decision.causeEventId(), id -> new ArrayList<>()).add(decision);
        }
        return byCause;
    }

    static List<String> describe(List<Decision> decisions) {
        return decisions.stream().map(Replay::describe).toList();
    }

    static String describe(Decision decision) {
        String subject;
        if (decision instanceof ProvisionPod provision) {
            subject = provision.podName();
        } else if (decision instanceof DeletePod delete) {
            subject = delete.podName();
        } else if (decision instanceof PodAssigned assigned) {
            subject = assigned.podName() + " -> " + assigned.requestId();
        } else if (decision instanceof RequestRefused refused) {
            subject = refused.requestId();
        } else {
            subject = decision.clusterId();
        }
        return decision.getClass().getSimpleName() + " " + subject + " (" + decision.reason() + ") id " + decision.decisionId();
    }
}
