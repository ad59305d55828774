package dev.slipway.submission.service;

import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.decisions.ClusterHealth;
import dev.slipway.contracts.decisions.ClusterHealthChanged;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.submission.Cluster;
import dev.slipway.submission.ClusterPod;
import dev.slipway.submission.ClusterPod.Phase;
import dev.slipway.submission.cluster.Lifecycle;
import dev.slipway.submission.cluster.StatusRules;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Folds pod facts (from the provisioner) and health decisions (from the scheduler) into the clusters'
 * pods and status. Every fact is idempotent by its meaning: a pod's phase only moves forward (GONE is
 * final) and health is the latest decision's, so redelivered facts change nothing.
 */
@ApplicationScoped
public class ClusterStatusService {

    private static final int MAX_REASON = 500;

    private final Mutiny.SessionFactory sessions;
    private final Clock clock;

    public ClusterStatusService(Mutiny.SessionFactory sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    /** True when the event is one this service follows. */
    public static boolean follows(SlipwayEvent event) {
        return event instanceof PodFact || event instanceof ClusterHealthChanged;
    }

    /** Applies one fact; facts of clusters this service does not know are skipped. */
    public Uni<Void> apply(SlipwayEvent event) {
        return sessions.withTransaction(session -> session.find(Cluster.class, event.clusterId(), LockMode.PESSIMISTIC_WRITE)
                .chain(cluster -> {
                    if (cluster == null) {
                        return Uni.createFrom().voidItem();
                    }
                    Uni<Void> applied = event instanceof PodFact fact
                            ? applyPodFact(session, cluster, fact)
                            : applyHealth(cluster, (ClusterHealthChanged) event);
                    return applied.chain(session::flush).chain(() -> refresh(session, cluster));
                }));
    }

    private Uni<Void> applyHealth(Cluster cluster, ClusterHealthChanged health) {
        cluster.schedulerDegraded = health.health() == ClusterHealth.DEGRADED;
        cluster.schedulerReason = cluster.schedulerDegraded
                ? shorten(health.reason() + (health.lastFailure() == null ? "" : "; last failure: " + health.lastFailure()))
                : null;
        cluster.updatedAt = clock.instant();
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> applyPodFact(Mutiny.Session session, Cluster cluster, PodFact fact) {
        String id = ClusterPod.idOf(cluster.id, fact.podName());
        return session.find(ClusterPod.class, id).chain(existing -> {
            ClusterPod pod = existing;
            if (pod == null) {
                pod = new ClusterPod();
                pod.id = id;
                pod.clusterId = cluster.id;
                pod.podName = fact.podName();
                pod.phase = Phase.CREATED;
            } else if (pod.phase == Phase.GONE) {
                return Uni.createFrom().voidItem(); // a late or repeated fact of a pod that is gone
            }
            boolean jobManager = isJobManager(cluster, pod, fact);
            if (fact instanceof PodCreated created) {
                pod.role = created.role();
                pod.nodeName = created.nodeName();
            } else if (fact instanceof PodReady ready) {
                pod.role = ready.role();
                pod.phase = Phase.READY;
                pod.nodeName = ready.nodeName();
                pod.address = ready.address();
                if (jobManager) {
                    cluster.everRunning = true;
                    cluster.jobManagerFailure = null;
                }
            } else if (fact instanceof PodFailed failed) {
                pod.phase = Phase.GONE;
                pod.reason = shorten(failed.reason() + (failed.message() == null ? "" : ": " + failed.message()));
                if (jobManager) {
                    cluster.jobManagerFailure = shorten("JobManager " + fact.podName() + " failed (" + failed.reason() + ")"
                            + (failed.message() == null ? "" : ": " + failed.message()));
                }
            } else if (fact instanceof PodDeleted) {
                pod.phase = Phase.GONE;
                if (jobManager && pod.reason == null && cluster.lifecycle == Lifecycle.ACTIVE) {
                    cluster.jobManagerFailure = "JobManager " + fact.podName() + " was deleted";
                }
            }
            pod.updatedAt = clock.instant();
            cluster.updatedAt = pod.updatedAt;
            return existing == null ? session.persist(pod) : Uni.createFrom().voidItem();
        });
    }

    /** Derives the status from the cluster's columns and pods; a deleting cluster whose last pod went is DELETED. */
    static Uni<Void> refresh(Mutiny.Session session, Cluster cluster) {
        return session.createSelectionQuery("from ClusterPod where clusterId = :id and phase <> :gone", ClusterPod.class)
                .setParameter("id", cluster.id)
                .setParameter("gone", Phase.GONE)
                .getResultList()
                .invoke(live -> {
                    if (StatusRules.deletionComplete(cluster.lifecycle, live.size())) {
                        cluster.lifecycle = Lifecycle.DELETED;
                    }
                    StatusRules.Status status = StatusRules.derive(new StatusRules.Facts(cluster.lifecycle,
                            cluster.schedulerDegraded, cluster.schedulerReason, cluster.everRunning, cluster.jobManagerFailure,
                            jobManagerReady(live), live.size()));
                    cluster.status = status.status();
                    cluster.statusReason = status.reason();
                })
                .replaceWithVoid();
    }

    private static boolean jobManagerReady(List<ClusterPod> live) {
        return live.stream().anyMatch(pod -> pod.role == PodRole.JOB_MANAGER && pod.phase == Phase.READY);
    }

    /** PodFailed and PodDeleted carry no role: the pod's earlier facts, or the decider's name, say it. */
    private static boolean isJobManager(Cluster cluster, ClusterPod pod, PodFact fact) {
        if (fact instanceof PodCreated created) {
            return created.role() == PodRole.JOB_MANAGER;
        }
        if (fact instanceof PodReady ready) {
            return ready.role() == PodRole.JOB_MANAGER;
        }
        return pod.role == PodRole.JOB_MANAGER || (pod.role == null && fact.podName().startsWith(cluster.id + "-jm-"));
    }

    private static String shorten(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }
}
