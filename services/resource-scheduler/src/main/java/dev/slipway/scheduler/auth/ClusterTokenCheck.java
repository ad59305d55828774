package dev.slipway.scheduler.auth;

import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.auth.TokenGenerations;
import dev.slipway.rest.access.BearerToken;
import dev.slipway.rest.access.ClusterIdCheck;
import dev.slipway.rest.access.ClusterReadAccess;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.scheduler.config.SchedulerConfig;
import dev.slipway.scheduler.messaging.SchedulerRuntime;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The bearer token of a Flink resource manager must be its own cluster's; people read a cluster's decisions, state and pods
 * with its reader token (or the operator's), and a read names a cluster id of the grammar.
 * Created at start, so a wrong operator token stops the service with the reason before it answers anybody.
 */
@ApplicationScoped
@Startup
public class ClusterTokenCheck {

    private final ClusterTokens tokens;
    private final TokenGenerations generations;
    private final ClusterReadAccess readers;

    public ClusterTokenCheck(SchedulerConfig config, SchedulerRuntime runtime) {
        this.tokens = new ClusterTokens(config.clusterTokenSecret());
        this.generations = runtime.credentials();
        this.readers = new ClusterReadAccess(config.clusterTokenSecret(), generations, config.operatorToken());
    }

    /** 401 without a bearer token, 403 with a token that is not this cluster's or was revoked. */
    public void require(String clusterId, String authorization) {
        String token = BearerToken.of(authorization).orElseThrow(() -> new ProblemException(401, "Missing cluster token",
                "send 'Authorization: Bearer <token>' with the token issued when cluster " + clusterId + " was created"));
        if (!tokens.verify(clusterId, token, ClusterReadAccess.minimumGeneration(generations, clusterId))) {
            throw new ProblemException(403, "Token not valid for this cluster",
                    "the token presented was not issued for cluster " + clusterId + ", or was revoked");
        }
        // A token verified for the id means the id is one job-submission made, so of the grammar.
    }

    /** 401 without a token, 403 with one that does not read this cluster (see {@link ClusterReadAccess}). */
    public void requireReader(String clusterId, String authorization) {
        readers.requireCluster(clusterId, authorization, null);
        // The caller first, then the id: the operator reads any cluster, not any string.
        ClusterIdCheck.require(clusterId);
    }
}
