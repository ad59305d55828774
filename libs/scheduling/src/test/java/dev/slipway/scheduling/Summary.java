package dev.slipway.scheduling;

import dev.slipway.contracts.decisions.ClusterHealthChanged;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.decisions.RequestRefused;
import java.util.List;

/**
 * One short line per decision, so a test states the expected decisions at a glance. A decision the
 * decider must not make any more ({@code PodAssigned}) has no line: it fails the test that meets it.
 */
final class Summary {

    private Summary() {
    }

    static List<String> of(List<Decision> decisions) {
        return decisions.stream().map(Summary::line).toList();
    }

    static String line(Decision decision) {
        if (decision instanceof ProvisionPod p) {
            return "provision " + p.podName() + (p.requestId() == null ? "" : " for " + p.requestId());
        } else if (decision instanceof DeletePod d) {
            return "delete " + d.podName();
        } else if (decision instanceof RequestRefused r) {
            return "refuse " + r.refused() + " of " + r.requested() + " for " + r.requestId();
        } else if (decision instanceof ClusterHealthChanged h) {
            return "health " + h.health();
        }
        throw new IllegalArgumentException(decision.toString());
    }
}
