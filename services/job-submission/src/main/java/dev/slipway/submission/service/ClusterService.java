package dev.slipway.submission.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.Events;
import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.credentials.TokensRevoked;
import dev.slipway.contracts.json.EventJson;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ClusterSpecChanged;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.rest.problems.Problem;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.rest.problems.UnreadableBody;
import dev.slipway.submission.Cluster;
import dev.slipway.submission.ClusterPod;
import dev.slipway.submission.OutboxMessage;
import dev.slipway.submission.cluster.ClusterIds;
import dev.slipway.submission.cluster.ClusterRequest;
import dev.slipway.submission.cluster.ClusterStatus;
import dev.slipway.submission.cluster.ClusterValidator;
import dev.slipway.submission.cluster.Lifecycle;
import dev.slipway.submission.cluster.MergePatch;
import dev.slipway.submission.cluster.StatusRules;
import dev.slipway.submission.config.SubmissionConfig;
import dev.slipway.submission.messaging.OutboxRelay;
import dev.slipway.submission.tenant.Quotas;
import dev.slipway.submission.tenant.Tenant;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Clusters of tenants: every write and the spec event it causes commit in one transaction (the event
 * goes into the outbox, the relay publishes it), so a crash between the two loses nothing.
 */
@ApplicationScoped
public class ClusterService {

    private final Mutiny.SessionFactory sessions;
    private final ClusterValidator validator;
    private final ObjectMapper json;
    private final OutboxRelay relay;
    private final JobService jobs;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ClusterService(Mutiny.SessionFactory sessions, SubmissionConfig config, ObjectMapper json, OutboxRelay relay,
            JobService jobs, Clock clock) {
        this.sessions = sessions;
        this.jobs = jobs;
        this.validator = new ClusterValidator(config.flinkVersions());
        this.json = json;
        this.relay = relay;
        this.clock = clock;
    }

    /** A cluster with its pods, as the detail view shows it. */
    public record Details(Cluster cluster, List<ClusterPod> pods) {
    }

    public Uni<Cluster> create(Tenant tenant, ClusterRequest request, String traceparent) {
        ClusterValidator.Outcome outcome = validator.forCreate(request, tenant.name());
        if (!outcome.valid()) {
            return Uni.createFrom().failure(ProblemException.invalid(outcome.errors()));
        }
        ClusterSpec requested = outcome.spec();
        String id = ClusterIds.of(requested.name(), HexFormat.of().toHexDigits(random.nextInt()));
        return sessions.withTransaction(session -> lockTenant(session, tenant)
                        .chain(() -> activeClusters(session, tenant.name()))
                        .chain(others -> {
                            Quotas.checkClusterCount(tenant, others.size());
                            requireUniqueName(others, requested.name(), id);
                            int share = Quotas.share(tenant, reserved(others), ClusterValidator.maxTaskManagers(requested),
                                    quotaField(requested));
                            ClusterSpec spec = withShare(requested, share);
                            Instant now = clock.instant();
                            Cluster cluster = new Cluster();
                            cluster.id = id;
                            cluster.tenant = tenant.name();
                            cluster.createdAt = now;
                            cluster.lifecycle = Lifecycle.ACTIVE;
                            cluster.status = ClusterStatus.PROVISIONING;
                            apply(cluster, spec, 1, now);
                            SlipwayEvent event = new ClusterSpecCreated(eventId(id, "ClusterSpecCreated", 1), id, now, 1, spec);
                            return session.persist(cluster)
                                    .chain(() -> session.persist(OutboxMessage.of(event, traceparent, now)))
                                    .replaceWith(cluster);
                        }))
                .invoke(relay::wake);
    }

    public Uni<List<Cluster>> list(Tenant tenant, boolean includeDeleted) {
        return sessions.withSession(session -> session.createSelectionQuery(
                        "from Cluster where tenant = :tenant and lifecycle in (:shown) order by createdAt, id", Cluster.class)
                .setParameter("tenant", tenant.name())
                .setParameter("shown", includeDeleted ? List.of(Lifecycle.values()) : List.of(Lifecycle.ACTIVE, Lifecycle.DELETING))
                .getResultList());
    }

    public Uni<Details> get(Tenant tenant, String id) {
        return sessions.withSession(session -> session.find(Cluster.class, id)
                .map(cluster -> owned(cluster, tenant, id))
                .chain(cluster -> session.createSelectionQuery("from ClusterPod where clusterId = :id order by podName",
                                ClusterPod.class)
                        .setParameter("id", id).getResultList()
                        .map(pods -> new Details(cluster, pods))));
    }

    /** Applies a JSON merge patch to the cluster's request document; a change that alters nothing publishes nothing. */
    public Uni<Cluster> change(Tenant tenant, String id, String mergePatch, String traceparent) {
        return sessions.withTransaction(session -> lockTenant(session, tenant)
                        .chain(() -> session.find(Cluster.class, id, LockMode.PESSIMISTIC_WRITE))
                        .map(cluster -> owned(cluster, tenant, id))
                        .chain(cluster -> {
                            if (cluster.lifecycle != Lifecycle.ACTIVE) {
                                throw new ProblemException(409, "Cluster is being deleted",
                                        "cluster " + id + " is " + cluster.status + " and can no longer change");
                            }
                            ClusterSpec current = spec(cluster);
                            ClusterValidator.Outcome outcome = validator.forChange(merged(current, mergePatch), current);
                            if (!outcome.valid()) {
                                throw ProblemException.invalid(outcome.errors());
                            }
                            return activeClusters(session, tenant.name()).chain(all -> {
                                List<Cluster> others = all.stream().filter(other -> !other.id.equals(id)).toList();
                                ClusterSpec requested = outcome.spec();
                                requireUniqueName(others, requested.name(), id);
                                int share = Quotas.share(tenant, reserved(others), ClusterValidator.maxTaskManagers(requested),
                                        quotaField(requested));
                                ClusterSpec spec = withShare(requested, share);
                                if (spec.equals(current)) {
                                    return Uni.createFrom().item(cluster);
                                }
                                Instant now = clock.instant();
                                long generation = cluster.generation + 1;
                                apply(cluster, spec, generation, now);
                                SlipwayEvent event = new ClusterSpecChanged(eventId(id, "ClusterSpecChanged", generation), id, now,
                                        generation, spec);
                                return session.persist(OutboxMessage.of(event, traceparent, now)).replaceWith(cluster);
                            });
                        }))
                .invoke(relay::wake);
    }

    /**
     * Publishes ClusterDeleted; the cluster is DELETING until the pod facts say its last pod is gone
     * (DELETED at once when no pod of it is known). Deleting again changes nothing.
     *
     * <p>A cluster with live jobs ({@link JobService#liveOn}) is refused with 409 naming them, unless {@code force}: then they
     * are ended (CANCELED, their status events in the outbox) in the deletion's transaction. The cluster's row lock, which
     * creating and moving jobs share, keeps a job from arriving meanwhile.
     */
    public Uni<Cluster> delete(Tenant tenant, String id, boolean force, String traceparent) {
        return sessions.withTransaction(session -> session.find(Cluster.class, id, LockMode.PESSIMISTIC_WRITE)
                        .map(cluster -> owned(cluster, tenant, id))
                        .chain(cluster -> {
                            if (cluster.lifecycle != Lifecycle.ACTIVE) {
                                return Uni.createFrom().item(cluster);
                            }
                            return JobService.liveOn(session, id).chain(live -> {
                                if (live.isEmpty()) {
                                    return markDeleted(session, cluster, traceparent, clock.instant());
                                }
                                if (!force) {
                                    throw new ClusterInUse(id, live);
                                }
                                Instant now = clock.instant();
                                return jobs.endForDeletedCluster(session, live, id, traceparent, now)
                                        .chain(() -> markDeleted(session, cluster, traceparent, now));
                            });
                        }))
                .invoke(relay::wake);
    }

    /**
     * Revokes every token of the cluster issued so far (its resource manager's and its reader's) by raising its token
     * generation, and publishes TokensRevoked: the services refuse the old tokens from the moment they read it, a running
     * JobManager is handed the new one where its backend can (the local one can), and no other cluster is touched. Also for a
     * deleted cluster, whose reader token still reads its logs and events.
     */
    public Uni<Cluster> revokeTokens(Tenant tenant, String id, String traceparent) {
        return sessions.withTransaction(session -> session.find(Cluster.class, id, LockMode.PESSIMISTIC_WRITE)
                        .map(cluster -> owned(cluster, tenant, id))
                        .chain(cluster -> {
                            Instant now = clock.instant();
                            cluster.tokenGeneration = cluster.tokenGeneration + 1;
                            cluster.updatedAt = now;
                            SlipwayEvent event = new TokensRevoked(eventId(id, "TokensRevoked", cluster.tokenGeneration), id, now,
                                    cluster.tokenGeneration, "revoked by tenant " + tenant.name());
                            return session.persist(OutboxMessage.of(event, traceparent, now)).replaceWith(cluster);
                        }))
                .invoke(relay::wake);
    }

    /** DELETING, with ClusterDeleted in the outbox; DELETED at once when no pod of it is known. */
    private Uni<Cluster> markDeleted(Mutiny.Session session, Cluster cluster, String traceparent, Instant now) {
        cluster.generation = cluster.generation + 1;
        cluster.updatedAt = now;
        cluster.lifecycle = Lifecycle.DELETING;
        SlipwayEvent event = new ClusterDeleted(eventId(cluster.id, "ClusterDeleted", cluster.generation), cluster.id, now,
                cluster.generation);
        return session.persist(OutboxMessage.of(event, traceparent, now))
                .chain(() -> ClusterStatusService.refresh(session, cluster))
                .replaceWith(cluster);
    }

    public static ClusterSpec spec(Cluster cluster) {
        try {
            return EventJson.mapper().readValue(cluster.spec, ClusterSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored spec of cluster " + cluster.id + " is not readable", e);
        }
    }

    private ClusterRequest merged(ClusterSpec current, String mergePatch) {
        try {
            JsonNode patch = json.readTree(mergePatch == null || mergePatch.isBlank() ? "{}" : mergePatch);
            if (!patch.isObject()) {
                throw new ProblemException(400, "Invalid request", "a merge patch must be a JSON object");
            }
            JsonNode document = MergePatch.apply(json.valueToTree(ClusterRequest.of(current)), patch);
            return json.treeToValue(document, ClusterRequest.class);
        } catch (JsonProcessingException e) {
            // Mapped to problem+json (with the field) like any unreadable body.
            throw new UnreadableBody(e);
        }
    }

    private static void apply(Cluster cluster, ClusterSpec spec, long generation, Instant now) {
        cluster.name = spec.name();
        cluster.generation = generation;
        cluster.spec = EventJson.mapper().valueToTree(spec).toString();
        cluster.maxTaskManagers = ClusterValidator.maxTaskManagers(spec);
        cluster.updatedAt = now;
    }

    private static ClusterSpec withShare(ClusterSpec s, int share) {
        return new ClusterSpec(s.name(), s.tenant(), s.mode(), s.flinkVersion(), s.jobManager(), s.jobManagerReplicas(),
                s.taskManager(), s.slotsPerTaskManager(), s.staticTaskManagers(), s.elastic(), share, s.failures(), s.network(),
                s.flinkConfiguration(), s.highAvailability());
    }

    private static String quotaField(ClusterSpec spec) {
        return spec.elastic() != null ? "elastic.maxTaskManagers" : "staticTaskManagers";
    }

    private static int reserved(List<Cluster> clusters) {
        return clusters.stream().mapToInt(cluster -> cluster.maxTaskManagers).sum();
    }

    private static void requireUniqueName(List<Cluster> others, String name, String id) {
        others.stream().filter(other -> other.name.equals(name) && !other.id.equals(id)).findFirst().ifPresent(other -> {
            throw new ProblemException(409, "about:blank", "Name taken", "the tenant already has cluster " + other.id
                    + " named '" + name + "'", List.of(new Problem.FieldError("name", "is taken")));
        });
    }

    /** Another tenant's cluster is answered exactly as a missing one: 404, never a hint that it exists. */
    private static Cluster owned(Cluster cluster, Tenant tenant, String id) {
        if (cluster == null || !cluster.tenant.equals(tenant.name())) {
            throw ProblemException.notFound("cluster", id);
        }
        return cluster;
    }

    /** Serializes the quota checks of one tenant (its creates and changes) across instances. */
    private static Uni<Integer> lockTenant(Mutiny.Session session, Tenant tenant) {
        return session.createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtext(:tenant))) l", Integer.class)
                .setParameter("tenant", "slipway-tenant:" + tenant.name())
                .getSingleResult();
    }

    private static Uni<List<Cluster>> activeClusters(Mutiny.Session session, String tenant) {
        return session.createSelectionQuery("from Cluster where tenant = :tenant and lifecycle = :active", Cluster.class)
                .setParameter("tenant", tenant)
                .setParameter("active", Lifecycle.ACTIVE)
                .getResultList();
    }

    private static String eventId(String clusterId, String type, long generation) {
        return Events.deterministicId(clusterId, type, Long.toString(generation));
    }
}
