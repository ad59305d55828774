package dev.slipway.submission.tenant;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks the tenant's API token of every request that may carry a body before the body is read. A body (JSON or a
 * multipart form) is parsed before the resource method runs, so without this an anonymous caller sending a malformed
 * body would get a 400 that teaches the API's rules instead of a 401. The resource methods resolve the tenant again.
 */
public class TenantBeforeBody {

    private static final Set<String> WITHOUT_BODY = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String API = "/api/v1/";

    private final TenantDirectory tenants;

    public TenantBeforeBody(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    @ServerRequestFilter
    public void check(ContainerRequestContext request) {
        if (!WITHOUT_BODY.contains(request.getMethod()) && request.getUriInfo().getPath().startsWith(API)) {
            tenants.require(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        }
    }
}
