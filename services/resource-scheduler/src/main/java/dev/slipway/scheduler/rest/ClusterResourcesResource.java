package dev.slipway.scheduler.rest;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.Events;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.resources.ResourcesReleased;
import dev.slipway.contracts.resources.ResourcesRequested;
import dev.slipway.messaging.KafkaMessages;
import dev.slipway.rest.access.ClusterIdCheck;
import dev.slipway.rest.problems.Problem;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.rest.problems.QueryParameters;
import dev.slipway.scheduler.auth.ClusterTokenCheck;
import dev.slipway.scheduler.auth.ReadsOnly;
import dev.slipway.scheduler.config.SchedulerConfig;
import dev.slipway.scheduler.messaging.ResourceEventPublisher;
import dev.slipway.scheduler.messaging.ResourceView;
import dev.slipway.scheduler.messaging.SchedulerRuntime;
import dev.slipway.scheduler.service.ReplayAnswer;
import dev.slipway.scheduler.service.ReplayService;
import dev.slipway.scheduling.ClusterState;
import dev.slipway.scheduling.PodRecord;
import dev.slipway.scheduling.RequestRecord;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The resource-scheduler's API. For the resource manager inside a Flink JobManager (bearer token of
 * its cluster): resource requests, releases, the cluster's pods and their stream. For people: the
 * decisions with their reasons, the cluster's state, and replay / what-if (the cluster's reader token, which job-submission
 * shows its tenant, or the operator token).
 */
@Path("/api/v1/clusters/{clusterId}")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResourcesResource {

    /** A broker restarting is back within seconds; a caller that retries sooner only adds to the backlog. */
    private static final Duration RETRY_AFTER_BROKER = Duration.ofSeconds(2);

    private final ClusterTokenCheck tokens;
    private final ResourceEventPublisher publisher;
    private final SchedulerRuntime runtime;
    private final ReplayService replays;
    private final Clock clock = Clock.systemUTC();
    private final Validator validator;
    private final Duration acknowledgementTimeout;

    public ClusterResourcesResource(ClusterTokenCheck tokens, ResourceEventPublisher publisher, SchedulerRuntime runtime,
            ReplayService replays, Validator validator, SchedulerConfig config) {
        this.validator = validator;
        this.acknowledgementTimeout = config.acknowledgementTimeout();
        this.tokens = tokens;
        this.publisher = publisher;
        this.runtime = runtime;
        this.replays = replays;
    }

    /**
     * Appends a ResourcesRequested event; the same request id again is the same request (idempotent). The same id with another
     * count, while the first is open, is a 409 with the first's count: an idempotency key names one request.
     */
    @POST
    @Path("/resource-requests")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> request(@PathParam("clusterId") String clusterId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent,
            ResourceRequestBody body) {
        tokens.require(clusterId, authorization);
        valid(clusterId, body);
        // The count only: a request's other fields change under the view's lock.
        view().query(clusterId, state -> state.openRequest(body.requestId()).map(RequestRecord::count).orElse(null))
                .filter(openCount -> openCount != body.count())
                .ifPresent(openCount -> {
                    throw new ProblemException(409, "https://slipway.dev/problems/request-id-reused", "Request id already used",
                            "request " + body.requestId() + " of cluster " + clusterId + " asked for " + openCount
                                    + " TaskManagers; a request id names one request: send a new id for another count",
                            List.of(new Problem.FieldError("count", "request " + body.requestId() + " is for " + openCount)));
                });
        String eventId = Events.deterministicId(clusterId, "requested", body.requestId());
        ResourcesRequested event = new ResourcesRequested(eventId, clusterId, clock.instant(), body.requestId(), body.count(),
                body.taskManager());
        return recorded(publisher.publish(event, traceparent), "request " + body.requestId())
                .map(ack -> Response.accepted(new Accepted(clusterId, eventId, body.requestId())).build());
    }

    /**
     * Appends a ResourcesReleased event for a TaskManager Flink no longer needs. A pod name of another cluster is a 404 and
     * the cluster's JobManager a 409: neither is a TaskManager of the cluster to release. (A name the view does not know yet
     * is taken: it may be folding the pod's events still, and a release lost would leave an idle TaskManager running.)
     */
    @POST
    @Path("/releases")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> release(@PathParam("clusterId") String clusterId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent,
            ReleaseBody body) {
        tokens.require(clusterId, authorization);
        valid(clusterId, body);
        if (!body.podName().startsWith(clusterId + "-")) {
            throw new ProblemException(404, "about:blank", "Not a pod of this cluster", "pod " + body.podName()
                    + " is not one of cluster " + clusterId + "'s (their names start with " + clusterId + "-)",
                    List.of(new Problem.FieldError("podName", "not a pod of cluster " + clusterId)));
        }
        view().query(clusterId, state -> state.pod(body.podName())).filter(pod -> !pod.taskManager())
                .ifPresent(jobManager -> {
                    throw new ProblemException(409, "about:blank", "Not a TaskManager", "pod " + body.podName()
                            + " is the JobManager of cluster " + clusterId + "; only TaskManagers are released",
                            List.of(new Problem.FieldError("podName", "is the JobManager")));
                });
        String eventId = Events.deterministicId(clusterId, "released", body.podName());
        ResourcesReleased event = new ResourcesReleased(eventId, clusterId, clock.instant(), body.podName(), body.reason());
        return recorded(publisher.publish(event, traceparent), "release of " + body.podName())
                .map(ack -> Response.accepted(new Accepted(clusterId, eventId, null)).build());
    }

    /**
     * The publication as the caller's answer: a 503 with Retry-After when the broker refused it, or did not acknowledge it
     * within {@code slipway.scheduler.acknowledgement-timeout}.
     */
    private Uni<Void> recorded(Uni<Void> publication, String what) {
        return publication.ifNoItem().after(acknowledgementTimeout).failWith(() -> notAcknowledged(what))
                .onFailure(KafkaMessages::notTaken).transform(failure -> notTaken(what, failure));
    }

    /** The broker is slow or away: the event may still be recorded, so the answer says to send the same request again. */
    private ProblemException notAcknowledged(String what) {
        return ProblemException.unavailable("Event log slow to answer", "the " + what + " was not acknowledged by Kafka within "
                + acknowledgementTimeout.toMillis() + " ms; it may still be recorded: send it again (the same request is"
                + " answered once)", RETRY_AFTER_BROKER);
    }

    /**
     * The broker did not acknowledge the event (it is down, or has no leader for the partition): a 503 the caller retries
     * after a while, not a 500. Sending the same request again is safe: request ids and pod names make it the same event.
     */
    private static ProblemException notTaken(String what, Throwable failure) {
        return ProblemException.unavailable("Event log unavailable", "the " + what + " was not recorded: Kafka did not"
                + " acknowledge it (" + failure.getMessage() + "); nothing is decided until it is; send it again (the same"
                + " request is answered once)", RETRY_AFTER_BROKER);
    }

    @GET
    @Path("/pods")
    public List<PodRecord> pods(@PathParam("clusterId") String clusterId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        tokens.requireReader(clusterId, authorization);
        return knownOrEmpty(clusterId).pods().stream().toList();
    }

    /** Every change of one of the cluster's pods, as it happens. */
    @GET
    @Path("/pods/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<PodRecord> podStream(@PathParam("clusterId") String clusterId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        tokens.requireReader(clusterId, authorization);
        return view().podChanges(clusterId).map(ResourceView.PodChange::pod);
    }

    /** The cluster's decisions with their reasons, newest first. */
    @GET
    @Path("/decisions")
    public List<Decision> decisions(@PathParam("clusterId") String clusterId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) @QueryParam("offset") String offsetParameter, @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000")) @QueryParam("limit") String limitParameter) {
        tokens.requireReader(clusterId, authorization);
        int offset = QueryParameters.wholeNumber("offset", offsetParameter, 0, 0, Integer.MAX_VALUE);
        int limit = QueryParameters.wholeNumber("limit", limitParameter, 50, 1, 1000);
        List<Decision> all = view().decisions(clusterId);
        // In long: an offset near Integer.MAX_VALUE plus the limit must not wrap around.
        return all.subList(Math.min(offset, all.size()), (int) Math.min((long) offset + limit, all.size()));
    }

    @GET
    @Path("/state")
    public ClusterStateView state(@PathParam("clusterId") String clusterId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        tokens.requireReader(clusterId, authorization);
        return ClusterStateView.of(stateOrNotFound(clusterId));
    }

    /** Replays the cluster's recorded events: reproduced or not, what it cost, and optionally a what-if. */
    @POST
    @Path("/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @ReadsOnly
    public ReplayAnswer replay(@PathParam("clusterId") String clusterId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, PolicyBody whatIf) {
        tokens.requireReader(clusterId, authorization);
        if (whatIf != null) {
            valid(whatIf);
        }
        stateOrNotFound(clusterId);
        return replays.replay(clusterId, whatIf == null ? null : whatIf.toPolicy());
    }

    /**
     * The body's constraints, checked after the caller's token (as {@code @Valid} would before it): an anonymous caller learns
     * nothing of the API's rules. A cluster id outside the grammar is a 400 naming it.
     */
    private void valid(String clusterId, Object body) {
        ClusterIdCheck.require(clusterId);
        if (body == null) {
            throw ProblemException.invalid("body", "is required: a JSON object");
        }
        valid(body);
    }

    private void valid(Object body) {
        Set<ConstraintViolation<Object>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        if (body instanceof ResourceRequestBody request && request.taskManager() != null) {
            sizeWithinBounds(request.taskManager());
        }
    }

    /** Flink asks for the TaskManager size its configuration names; the platform starts none larger than any spec may name. */
    private static void sizeWithinBounds(ProcessSize size) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (size.cpu() < ProcessSize.MIN_CPU || size.cpu() > ProcessSize.MAX_CPU) {
            errors.add(new Problem.FieldError("taskManager.cpu",
                    "must be between " + ProcessSize.MIN_CPU + " and " + (int) ProcessSize.MAX_CPU + " cores"));
        }
        if (size.memoryMb() > ProcessSize.MAX_MEMORY_MB) {
            errors.add(new Problem.FieldError("taskManager.memoryMb", "must be at most " + ProcessSize.MAX_MEMORY_MB));
        }
        if (size.diskMb() > ProcessSize.MAX_DISK_MB) {
            errors.add(new Problem.FieldError("taskManager.diskMb", "must be at most " + ProcessSize.MAX_DISK_MB));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    private ClusterState knownOrEmpty(String clusterId) {
        return view().cluster(clusterId).orElseGet(() -> new ClusterState(clusterId));
    }

    private ClusterState stateOrNotFound(String clusterId) {
        return view().cluster(clusterId).orElseThrow(() -> new ProblemException(404, "Unknown cluster",
                "no events of cluster " + clusterId + " have been seen"));
    }

    private ResourceView view() {
        return runtime.view();
    }
}
