package dev.slipway.scheduling.replay;

import java.util.List;
import java.util.stream.Collectors;

/** Whether replaying recorded events reproduced the recorded decisions exactly, and where not. */
public record DeterminismCheck(long decisionsCompared, List<Difference> differences) {

    public boolean reproduced() {
        return differences.isEmpty();
    }

    public String render() {
        if (reproduced()) {
            return "reproduced all " + decisionsCompared + " decisions exactly";
        }
        return differences.size() + " events decided differently:\n"
                + differences.stream().map(Difference::render).collect(Collectors.joining("\n"));
    }
}
