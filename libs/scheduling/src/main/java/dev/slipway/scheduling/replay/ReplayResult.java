package dev.slipway.scheduling.replay;

import dev.slipway.contracts.decisions.Decision;
import java.util.List;

/** The decisions a replay made, and what they cost. */
public record ReplayResult(List<Decision> decisions, ReplayReport report) {
}
