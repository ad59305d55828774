package dev.slipway.indexer.rest;

import dev.slipway.contracts.cluster.ClusterIdGrammar;
import dev.slipway.indexer.config.IndexerConfig;
import dev.slipway.indexer.messaging.IndexerRuntime;
import dev.slipway.indexer.metrics.MetricQuery;
import dev.slipway.rest.access.ClusterReadAccess;
import dev.slipway.rest.problems.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Metric series by name, cluster and tags over a time range, in buckets of a step (who reads: as for logs). */
@Path("/api/v1/metrics")
@Produces(MediaType.APPLICATION_JSON)
public class MetricsResource {

    private static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    /** The step when none is given: the range in about this many buckets, at least 10 s. */
    private static final int DEFAULT_BUCKETS = 300;

    private final IndexerRuntime runtime;
    private final IndexerConfig config;
    private final ClusterReadAccess access;
    private final Clock clock = Clock.systemUTC();

    public MetricsResource(IndexerRuntime runtime, IndexerConfig config, ClusterReadAccess access) {
        this.access = access;
        this.runtime = runtime;
        this.config = config;
    }

    /**
     * Tags as the Flink reporter writes them: {@code job} (the Flink job id), {@code task}, {@code subtask},
     * {@code taskmanager}, {@code pod}. Buckets of {@code step} with min, max, avg and count per series. {@code to} defaults to now and
     * {@code from} to an hour before it. Points older than raw retention come from 1-minute rollups,
     * so a smaller step there shows one point per rollup.
     */
    @GET
    public MetricAnswer query(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("name") String name, @Parameter(schema = @Schema(type = SchemaType.STRING, pattern = ClusterIdGrammar.REGEX)) @QueryParam("clusterId") String clusterId,
            @QueryParam("job") String job, @QueryParam("task") String task, @QueryParam("subtask") String subtask,
            @QueryParam("taskmanager") String taskmanager, @QueryParam("pod") String pod, @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("from") String from, @Parameter(schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("to") String to, @QueryParam("step") String step) throws IOException {
        access.requireClusterOrAll(clusterId, authorization, null);
        if (Params.blank(name)) {
            throw ProblemException.invalid("name", "required: the metric's name, e.g. numRecordsInPerSecond");
        }
        Instant end = Params.instant("to", to);
        end = end == null ? clock.instant() : end;
        Instant start = Params.instant("from", from);
        start = start == null ? end.minus(DEFAULT_RANGE) : start;
        Params.range(start, end);
        Duration bucket = Params.duration("step", step);
        Duration range = Duration.between(start, end);
        if (bucket == null) {
            long seconds = Math.max(10, (range.toSeconds() / DEFAULT_BUCKETS + 9) / 10 * 10);
            bucket = Duration.ofSeconds(seconds);
        }
        if (bucket.toMillis() < 1 || range.toMillis() / bucket.toMillis() > config.metrics().maxPoints()) {
            throw ProblemException.invalid("step", "gives more than " + config.metrics().maxPoints() + " points over "
                    + range + "; make it larger or the range smaller");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        putIfPresent(tags, "job", job);
        putIfPresent(tags, "task", task);
        putIfPresent(tags, "subtask", subtask);
        putIfPresent(tags, "taskmanager", taskmanager);
        putIfPresent(tags, "pod", pod);
        MetricQuery query = new MetricQuery(name.trim(), Params.orNull(clusterId), tags, start, end, bucket);
        return new MetricAnswer(query.name(), start, end, bucket, runtime.metrics().query(query));
    }

    private static void putIfPresent(Map<String, String> tags, String key, String value) {
        if (!Params.blank(value)) {
            tags.put(key, value.trim());
        }
    }
}
