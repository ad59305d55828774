package dev.slipway.scheduler.auth;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks the caller of a request with a body before the body is read. The body is parsed before the resource method runs,
 * so without this an anonymous caller sending a malformed body would get a 400 that teaches the API's rules instead of a
 * 401. The resource methods check the same token again, as every GET does.
 */
public class CallerBeforeBody {

    private final ClusterTokenCheck tokens;

    public CallerBeforeBody(ClusterTokenCheck tokens) {
        this.tokens = tokens;
    }

    @ServerRequestFilter
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        String clusterId = request.getUriInfo().getPathParameters().getFirst("clusterId");
        if (!HttpMethod.POST.equals(request.getMethod()) || clusterId == null) {
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(ReadsOnly.class)) {
            tokens.requireReader(clusterId, authorization);
        } else {
            tokens.require(clusterId, authorization);
        }
    }
}
