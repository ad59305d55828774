package dev.slipway.submission.rest;

import dev.slipway.rest.problems.Problem;
import dev.slipway.submission.service.ClusterInUse;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A cluster with live jobs: its 409 lists them. Every other error is mapped by libs/rest-problems. */
public class ClusterInUseMapper {

    @ServerExceptionMapper
    public Response clusterInUse(ClusterInUse e) {
        return Response.status(409).type(Problem.MEDIA_TYPE).entity(e.body()).build();
    }
}
