package dev.slipway.rest.access;

import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.auth.TokenGenerations;
import dev.slipway.rest.problems.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may read what the platform knows of a cluster (its decisions, state, logs, metrics and events): the cluster's reader
 * token, which job-submission shows only to the tenant that owns the cluster; the cluster's resource-manager token; or the
 * platform's operator token, which reads every cluster and alone reads across clusters. The token comes as
 * {@code Authorization: Bearer <token>}, or as the {@code access_token} query parameter where a browser cannot send a header
 * (EventSource).
 */
public final class ClusterReadAccess {

    private final ClusterTokens tokens;
    private final TokenGenerations generations;
    private final Optional<byte[]> operatorToken;

    /**
     * @param generations   each cluster's lowest token generation still valid (tokens below it were revoked)
     * @param operatorToken the platform operator's token (at least 16 characters), if there is one
     */
    public ClusterReadAccess(String clusterTokenSecret, TokenGenerations generations, Optional<String> operatorToken) {
        this.tokens = new ClusterTokens(clusterTokenSecret);
        this.generations = generations;
        operatorToken.filter(token -> token.length() < 16).ifPresent(token -> {
            throw new IllegalArgumentException("the operator token must have at least 16 characters");
        });
        operatorToken.filter(token -> token.startsWith("REPLACE-ME")).ifPresent(token -> {
            throw new IllegalArgumentException("the operator token is still the example's placeholder: set SLIPWAY_OPERATOR_TOKEN to"
                    + " a secret of your own (openssl rand -hex 24), or leave it out");
        });
        this.operatorToken = operatorToken.map(token -> token.getBytes(StandardCharsets.UTF_8));
    }

    /** 401 without a token; 403 when the token reads neither this cluster nor every cluster. */
    public void requireCluster(String clusterId, String authorization, String accessToken) {
        String token = token(authorization, accessToken);
        if (isOperator(token)) {
            return;
        }
        long minimum = minimumGeneration(generations, clusterId);
        if (!tokens.verifyReader(clusterId, token, minimum) && !tokens.verify(clusterId, token, minimum)) {
            throw new ProblemException(403, "Token does not read this cluster",
                    "the token presented is not a valid reader token of cluster " + clusterId + " (it may have been revoked;"
                            + " GET /api/v1/clusters/" + clusterId + " on job-submission shows the current one to the cluster's tenant)");
        }
    }

    /**
     * The lowest generation of {@code clusterId}'s tokens still valid; 503 while the verifier is still reading the
     * revocations, so that no revoked token passes in a service's first seconds.
     */
    public static long minimumGeneration(TokenGenerations generations, String clusterId) {
        if (!generations.loaded()) {
            throw new ProblemException(503, "Revocations still loading",
                    "this service is still reading which cluster tokens were revoked; try again in a few seconds");
        }
        return generations.minimum(clusterId);
    }

    /**
     * A read narrowed to one cluster by its {@code clusterId} query parameter, or, without it, across clusters (the
     * operator's alone). A clusterId outside the cluster-id grammar is a 400 naming it, once the caller is known.
     */
    public void requireClusterOrAll(String clusterId, String authorization, String accessToken) {
        if (clusterId == null || clusterId.isBlank()) {
            requireOperator(authorization, accessToken, "clusterId");
        } else {
            requireCluster(clusterId.trim(), authorization, accessToken);
            // The caller first; then the id, before it touches a query: the operator reads any cluster, not any string.
            ClusterIdCheck.require(clusterId.trim());
        }
    }

    /**
     * Reads across clusters, or of the whole service: only the operator token. {@code field} names the query parameter that
     * would have narrowed the read to one cluster, if there is one.
     */
    public void requireOperator(String authorization, String accessToken, String field) {
        if (!isOperator(token(authorization, accessToken))) {
            throw new ProblemException(403, "Operator token required", field == null
                    ? "only the platform's operator token reads this"
                    : "give " + field + " with that cluster's reader token: only the platform's operator token reads across clusters");
        }
    }

    private boolean isOperator(String token) {
        // Constant time, so the answer's timing tells nothing about the operator token.
        return operatorToken.isPresent() && MessageDigest.isEqual(operatorToken.get(), token.getBytes(StandardCharsets.UTF_8));
    }

    private static String token(String authorization, String accessToken) {
        Optional<String> bearer = BearerToken.of(authorization);
        if (bearer.isPresent()) {
            return bearer.get();
        }
        if (accessToken != null && !accessToken.isBlank()) {
            return accessToken.trim();
        }
        throw new ProblemException(401, "Missing token", "send 'Authorization: Bearer <token>' (or access_token=<token> where"
                + " a header cannot be sent) with the cluster's reader token, shown by GET /api/v1/clusters/{id} on job-submission");
    }
}
