package dev.slipway.scheduler.service;

import dev.slipway.scheduling.replay.Difference;
import dev.slipway.scheduling.replay.ReplayReport;
import java.util.List;

/**
 * A replay of one cluster's recorded events: whether it reproduced the published decisions, what the
 * recorded run cost, and, with a policy override, the same demand under that policy.
 */
public record ReplayAnswer(
        String clusterId,
        long events,
        long decisionsPublished,
        boolean reproduced,
        List<Difference> differences,
        ReplayReport recorded,
        WhatIfAnswer whatIf) {

    public record WhatIfAnswer(String policy, ReplayReport baseline, ReplayReport alternative, long podSecondsSaved, String table) {
    }
}
