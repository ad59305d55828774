package dev.slipway.rest.access;

import dev.slipway.contracts.cluster.ClusterIdGrammar;
import dev.slipway.rest.problems.ProblemException;

/** The one answer to a cluster id outside {@link ClusterIdGrammar}: a 400 naming the {@code clusterId} field and the rule. */
public final class ClusterIdCheck {

    private ClusterIdCheck() {
    }

    /** Answers the id when it fits the grammar; a 400 naming {@code clusterId} otherwise. */
    public static String require(String clusterId) {
        if (!ClusterIdGrammar.valid(clusterId)) {
            throw ProblemException.invalid("clusterId", ClusterIdGrammar.RULE);
        }
        return clusterId;
    }
}
