package dev.slipway.submission.rest;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.rest.problems.QueryParameters;
import dev.slipway.submission.Cluster;
import dev.slipway.submission.cluster.ClusterRequest;
import dev.slipway.submission.cluster.ClusterStatus;
import dev.slipway.submission.config.SubmissionConfig;
import dev.slipway.submission.service.ClusterService;
import dev.slipway.submission.tenant.Tenant;
import dev.slipway.submission.tenant.TenantDirectory;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Session clusters of the caller's tenant ({@code Authorization: Bearer <tenant API token>}). Another
 * tenant's cluster is 404, as if it did not exist. Errors are application/problem+json with the fields.
 */
@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClustersResource {

    public static final String MERGE_PATCH = "application/merge-patch+json";

    private final TenantDirectory tenants;
    private final ClusterService clusters;
    private final ClusterTokens tokens;

    public ClustersResource(TenantDirectory tenants, ClusterService clusters, SubmissionConfig config) {
        this.tenants = tenants;
        this.clusters = clusters;
        this.tokens = new ClusterTokens(config.clusterTokenSecret());
    }

    /** 201 with the cluster (PROVISIONING), its Location, and its token (shown this once). */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, ClusterRequest body, @Context UriInfo uri) {
        return clusters.create(tenants.require(authorization), body, traceparent)
                .map(cluster -> Response.created(uri.getAbsolutePathBuilder().path(cluster.id).build())
                        .entity(ClusterView.of(cluster, List.of(), tokens.issue(cluster.id, cluster.tokenGeneration),
                                tokens.issueReader(cluster.id, cluster.tokenGeneration)))
                        .build());
    }

    /**
     * Revokes the cluster's tokens (its reader token and its resource manager's) without touching any other cluster or the
     * platform's secret; answers the cluster with its new tokens. The services refuse the old ones once they have read the
     * revocation (within a second or so); an ELASTIC cluster's running JobManager is handed its new token on the local
     * backend, and on Kubernetes when it is next started.
     */
    @POST
    @Path("/{id}/token-revocations")
    public Uni<ClusterView> revokeTokens(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id) {
        return clusters.revokeTokens(tenants.require(authorization), id, traceparent)
                .map(cluster -> ClusterView.of(cluster, null, tokens.issue(cluster.id, cluster.tokenGeneration),
                        tokens.issueReader(cluster.id, cluster.tokenGeneration)));
    }

    /** The tenant's clusters, oldest first; deleted ones only with {@code includeDeleted=true}. */
    @GET
    public Uni<List<ClusterView>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(schema = @Schema(type = SchemaType.BOOLEAN)) @QueryParam("includeDeleted") String includeDeleted) {
        Tenant tenant = tenants.require(authorization);
        return clusters.list(tenant, QueryParameters.flag("includeDeleted", includeDeleted))
                .map(all -> all.stream().map(this::view).toList());
    }

    /** The cluster with its status and pods. */
    @GET
    @Path("/{id}")
    public Uni<ClusterView> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        return clusters.get(tenants.require(authorization), id)
                .map(details -> ClusterView.of(details.cluster(), details.pods(), null,
                        tokens.issueReader(details.cluster().id, details.cluster().tokenGeneration)));
    }

    /**
     * A JSON merge patch (RFC 7396) of the cluster's document as POSTed, e.g.
     * {@code {"elastic":{"maxTaskManagers":20}}}; publishes ClusterSpecChanged with the next generation.
     */
    @PATCH
    @Path("/{id}")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    public Uni<ClusterView> change(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id, String patch) {
        return clusters.change(tenants.require(authorization), id, patch, traceparent).map(this::view);
    }

    /**
     * 202 while its pods go (DELETING), 200 once none is left (DELETED). Deleting again changes nothing. 409 naming the
     * cluster's live jobs (not FAILED, FINISHED or CANCELED, or with an action in progress) unless {@code force=true}, which
     * cancels them with the cluster.
     */
    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id,
            @Parameter(schema = @Schema(type = SchemaType.BOOLEAN)) @QueryParam("force") String force) {
        Tenant tenant = tenants.require(authorization);
        return clusters.delete(tenant, id, QueryParameters.flag("force", force), traceparent)
                .map(cluster -> Response.status(cluster.status == ClusterStatus.DELETED ? 200 : 202)
                        .entity(view(cluster)).build());
    }

    private ClusterView view(Cluster cluster) {
        return ClusterView.of(cluster, null, null, tokens.issueReader(cluster.id, cluster.tokenGeneration));
    }
}
