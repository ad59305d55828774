package dev.slipway.submission.tenant;

import dev.slipway.rest.problems.Problem.FieldError;
import dev.slipway.rest.problems.ProblemException;
import java.util.List;

/**
 * A tenant's quotas, checked when a cluster is created or changed, and the cluster's share of the
 * TaskManager quota.
 *
 * <p>Split rule: every cluster reserves its own maximum (STATIC: its count, ELASTIC: maxTaskManagers) out
 * of the tenant's TaskManager quota, and a create or change is refused (409) when the reservations of
 * the tenant's clusters would sum to more than the quota. A cluster's {@code tenantQuotaTaskManagers} is
 * therefore its reservation, {@code min(own maximum, quota - the other clusters' reservations)}, which
 * the admission check makes equal to its own maximum; the shares of a tenant's clusters never add up to
 * more than the quota. Reservation (rather than one pool the clusters draw from first come, first
 * served) is what the scheduler can enforce: it decides each cluster alone, partitioned by cluster id,
 * and never sees two clusters' pod counts together. The price is that an idle cluster's reservation is
 * not lent to a busy one; lower its maximum to free it. Clusters being deleted reserve nothing.
 *
 * <p>If an operator lowers a quota below what the clusters already reserve, existing clusters keep their
 * shares until they are changed; the next change that does not fit is refused.
 */
public final class Quotas {

    public static final String TYPE = "https://slipway.dev/problems/quota-exceeded";

    private Quotas() {
    }

    /** {@code otherClusters}: the tenant's clusters other than this one that are not being deleted. */
    public static void checkClusterCount(Tenant tenant, int otherClusters) {
        if (tenant.maxClusters() > 0 && otherClusters + 1 > tenant.maxClusters()) {
            throw new ProblemException(409, TYPE, "Tenant quota exceeded",
                    "tenant " + tenant.name() + " may have " + tenant.maxClusters() + " clusters and has " + otherClusters
                            + "; delete one first", List.of());
        }
    }

    /**
     * The cluster's share of the TaskManager quota (0 when the tenant has no TaskManager quota), or a 409
     * naming {@code field} when its maximum does not fit beside {@code othersReserved}.
     */
    public static int share(Tenant tenant, int othersReserved, int requested, String field) {
        if (tenant.maxTaskManagers() <= 0) {
            return 0;
        }
        int left = Math.max(0, tenant.maxTaskManagers() - othersReserved);
        if (requested > left) {
            throw new ProblemException(409, TYPE, "Tenant quota exceeded",
                    "tenant " + tenant.name() + " may hold " + tenant.maxTaskManagers()
                            + " TaskManagers summed over its clusters' maxima; the other clusters take " + othersReserved
                            + ", this one asks for " + requested + " (" + left + " left)",
                    List.of(new FieldError(field, "exceeds the " + left + " TaskManagers left in tenant " + tenant.name()
                            + "'s quota of " + tenant.maxTaskManagers())));
        }
        return Math.min(requested, left);
    }
}
