package dev.slipway.indexer.rest;

import dev.slipway.contracts.cluster.ClusterIdGrammar;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.indexer.config.IndexerConfig;
import dev.slipway.indexer.logs.Cursors;
import dev.slipway.indexer.logs.InvalidQueryException;
import dev.slipway.indexer.logs.Levels;
import dev.slipway.indexer.logs.LiveLogBroadcast;
import dev.slipway.indexer.logs.LogPage;
import dev.slipway.indexer.logs.LogQuery;
import dev.slipway.indexer.logs.PartitionInfo;
import dev.slipway.indexer.messaging.IndexerRuntime;
import dev.slipway.rest.access.ClusterReadAccess;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.rest.problems.QueryParameters;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Log search, live tail and the partitions behind them. A cluster's reader token reads that cluster's records (give
 * {@code clusterId}); the operator token reads across clusters and the partitions.
 */
@Path("/api/v1/logs")
@Produces(MediaType.APPLICATION_JSON)
public class LogsResource {

    private static final int DEFAULT_LIMIT = 100;

    private final IndexerRuntime runtime;
    private final LiveLogBroadcast tail;
    private final IndexerConfig config;
    private final ClusterReadAccess access;

    public LogsResource(IndexerRuntime runtime, LiveLogBroadcast tail, IndexerConfig config, ClusterReadAccess access) {
        this.access = access;
        this.runtime = runtime;
        this.tail = tail;
        this.config = config;
    }

    /**
     * Records matching free text over message and logger (Lucene syntax: words are ANDed, "quoted
     * phrases", OR, NOT, wildcards), exact levels (comma-separated), cluster, job and pod, in [from, to),
     * newest first; {@code cursor} is the previous page's {@code nextCursor}.
     */
    @GET
    public LogPage search(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("q") String q, @QueryParam("level") String level, @Parameter(schema = @Schema(type = SchemaType.STRING, pattern = ClusterIdGrammar.REGEX)) @QueryParam("clusterId") String clusterId,
            @QueryParam("jobId") String jobId, @QueryParam("pod") String pod, @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("from") String from,
            @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("to") String to, @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) throws IOException {
        access.requireClusterOrAll(clusterId, authorization, null);
        Instant start = Params.instant("from", from);
        Instant end = Params.instant("to", to);
        Params.range(start, end);
        LogQuery query = new LogQuery(Params.orNull(q), levels(level), Params.orNull(clusterId), Params.orNull(jobId),
                Params.orNull(pod), start, end, QueryParameters.wholeNumber("limit", limit, DEFAULT_LIMIT, 1, config.logs().maxLimit()),
                Params.blank(cursor) ? null : Cursors.decode(cursor.trim())
                        .orElseThrow(() -> ProblemException.invalid("cursor", "not a cursor from an earlier page")));
        try {
            return runtime.search().search(query);
        } catch (InvalidQueryException e) {
            throw ProblemException.invalid("q", e.getMessage());
        }
    }

    /** Every new record of a cluster, job or pod (at least one is required), at {@code level} or above. */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<LogRecord> stream(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("access_token") String accessToken, @QueryParam("clusterId") String clusterId,
            @QueryParam("jobId") String jobId, @QueryParam("pod") String pod, @QueryParam("level") String level) {
        access.requireClusterOrAll(clusterId, authorization, accessToken);
        if (Params.blank(clusterId) && Params.blank(jobId) && Params.blank(pod)) {
            throw ProblemException.invalid("clusterId", "give clusterId, jobId or pod to follow");
        }
        if (!Params.blank(level) && !Levels.known(level)) {
            throw ProblemException.invalid("level", "not one of " + Levels.ORDER + ": '" + level + "'");
        }
        return tail.follow(Params.orNull(clusterId), Params.orNull(jobId), Params.orNull(pod),
                Params.blank(level) ? null : Levels.normalize(level));
    }

    /** The partitions (one Lucene index each), oldest first, with their size. */
    @GET
    @Path("/partitions")
    public List<PartitionInfo> partitions(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.requireOperator(authorization, null, null);
        return runtime.logs().partitions();
    }

    private static Set<String> levels(String level) {
        if (Params.blank(level)) {
            return Set.of();
        }
        Set<String> levels = new LinkedHashSet<>();
        for (String one : Arrays.stream(level.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            if (!Levels.known(one)) {
                throw ProblemException.invalid("level", "not one of " + Levels.ORDER + ": '" + one + "'");
            }
            levels.add(Levels.normalize(one));
        }
        if (levels.isEmpty()) {
            // "level=,,," names no level: not the same as no filter, which leaving it out says.
            throw ProblemException.invalid("level", "names no level: give one or more of " + Levels.ORDER + ", comma-separated");
        }
        return levels;
    }
}
