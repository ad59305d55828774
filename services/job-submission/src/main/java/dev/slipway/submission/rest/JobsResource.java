package dev.slipway.submission.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.jobs.JobKind;
import dev.slipway.rest.problems.Problem.FieldError;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.submission.artifact.ArtifactStore;
import dev.slipway.submission.artifact.SqlRunnerJar;
import dev.slipway.submission.config.SubmissionConfig;
import dev.slipway.submission.job.JarInspector;
import dev.slipway.submission.job.JobRequest;
import dev.slipway.submission.job.JobValidator;
import dev.slipway.submission.service.JobService;
import dev.slipway.submission.tenant.Tenant;
import dev.slipway.submission.tenant.TenantDirectory;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/**
 * Flink jobs of the caller's tenant ({@code Authorization: Bearer <tenant API token>}); another tenant's
 * job or cluster is 404. A JAR job is uploaded as multipart/form-data (see {@link JobUpload}); actions
 * answer 202 with the job, whose {@code operation} says what is in progress until the reconciler has
 * done it against Flink.
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    public static final String TOO_LARGE = "https://slipway.dev/problems/jar-too-large";

    private final TenantDirectory tenants;
    private final JobService jobs;
    private final ArtifactStore artifacts;
    private final SqlRunnerJar sqlRunner;
    private final ObjectMapper json;
    private final long maxJarBytes;

    public JobsResource(TenantDirectory tenants, JobService jobs, ArtifactStore artifacts, SqlRunnerJar sqlRunner, ObjectMapper json,
            SubmissionConfig config) {
        this.tenants = tenants;
        this.jobs = jobs;
        this.artifacts = artifacts;
        this.sqlRunner = sqlRunner;
        this.json = json;
        this.maxJarBytes = config.jobs().maxJarSize().asLongValue();
    }

    public record RollbackRequest(Integer version) {
    }

    public record MigrateRequest(String clusterId) {
    }

    /**
     * A JAR job: part {@code jar} and the fields. 201 with the job, SUBMITTED and waiting for its cluster;
     * 400 with the fields at fault (not a jar, no such entry class, ...), 413 for a jar over the limit,
     * 404 for a cluster that is not the tenant's.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    public Response createJar(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, MultipartFormDataInput input, @Context UriInfo uri)
            throws Throwable {
        Tenant tenant = tenants.require(authorization);
        try (JobUpload upload = JobUpload.parse(input, json)) {
            if (upload.request().type() == JobKind.SQL) {
                throw sqlIsJson();
            }
            JarInspector.Result jar = inspect(upload);
            JobRequest request = upload.request().withJarDefaults(jar.entryClass());
            List<FieldError> errors = new ArrayList<>(JobValidator.validateJar(request));
            errors.addAll(jar.errors());
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            JobService.Artifact artifact = new JobService.Artifact(artifacts.store(upload.jar()), upload.filename(), jar.entryClass());
            var job = await(() -> jobs.create(tenant, request, artifact, traceparent));
            return Response.created(uri.getAbsolutePathBuilder().path(job.id).build()).entity(JobView.of(job)).build();
        }
    }

    /**
     * A SQL job: {@code {"type":"SQL","clusterId":..,"script":..,"name"?,"parallelism"?,"flinkConfiguration"?,"savepointPath"?}}.
     * The script is split and checked here (400 naming {@code script} with the line at fault); Flink plans it
     * in the JobManager when the cluster runs, and a statement Flink refuses fails the job with Flink's message.
     * A JAR job is a multipart upload.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response createFromJson(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, JobRequest body, @Context UriInfo uri) throws Throwable {
        Tenant tenant = tenants.require(authorization);
        if (body == null || body.type() != JobKind.SQL) {
            throw new ProblemException(415, "about:blank", "A JAR job is a multipart upload",
                    "send a SQL job as JSON with \"type\":\"SQL\", or a JAR job as multipart/form-data with the jar in part 'jar'",
                    List.of(new FieldError("type", "JSON is for SQL jobs: set \"type\":\"SQL\" and \"script\"")));
        }
        List<FieldError> errors = JobValidator.validateSql(body);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        JobService.Artifact runner = sqlArtifact();
        var job = await(() -> jobs.create(tenant, body, runner, traceparent));
        return Response.created(uri.getAbsolutePathBuilder().path(job.id).build()).entity(JobView.of(job)).build();
    }

    /** The tenant's jobs, oldest first; {@code clusterId} narrows them to one cluster. */
    @GET
    public Uni<List<JobView>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("clusterId") String clusterId) {
        return jobs.list(tenants.require(authorization), clusterId).map(all -> all.stream().map(JobView::of).toList());
    }

    /** The job with its versions and savepoints. */
    @GET
    @Path("/{id}")
    public Uni<JobView> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        return jobs.get(tenants.require(authorization), id)
                .map(details -> JobView.of(details.job(), details.versions(), details.savepoints(), jobs));
    }

    /** A new version (multipart, as a new job but without clusterId): the running one is stopped with a savepoint and the new one submitted from it. */
    @POST
    @Path("/{id}/versions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    public Response newVersion(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id, MultipartFormDataInput input)
            throws Throwable {
        Tenant tenant = tenants.require(authorization);
        try (JobUpload upload = JobUpload.parse(input, json)) {
            JarInspector.Result jar = inspect(upload);
            JobRequest given = upload.request().withJarDefaults(jar.entryClass());
            List<FieldError> errors = new ArrayList<>();
            if (given.clusterId() != null) {
                errors.add(new FieldError("clusterId", "a version runs where the job runs; migrate the job to change its cluster"));
            }
            if (given.type() == JobKind.SQL) {
                errors.add(new FieldError("type", "a JAR job's versions are JARs"));
            }
            // The version's fields are checked as a job's; the cluster is the job's own.
            JobRequest request = new JobRequest(JobKind.JAR, given.name(), "(the job's)", given.entryClass(), given.parallelism(),
                    given.args(), given.flinkConfiguration(), given.savepointPath(), given.script());
            errors.addAll(JobValidator.validateJar(request));
            errors.addAll(jar.errors());
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
            JobService.Artifact artifact = new JobService.Artifact(artifacts.store(upload.jar()), upload.filename(), jar.entryClass());
            var job = await(() -> jobs.newVersion(tenant, id, request, artifact, traceparent));
            return Response.accepted(JobView.of(job)).build();
        }
    }

    /** A new version of a SQL job: {@code {"script":..,"parallelism"?,"flinkConfiguration"?,"savepointPath"?}}, deployed like a JAR job's. */
    @POST
    @Path("/{id}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response newSqlVersion(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id, JobRequest body) throws Throwable {
        Tenant tenant = tenants.require(authorization);
        JobRequest given = body == null ? new JobRequest(null, null, null, null, null, null, null, null, null) : body;
        List<FieldError> errors = new ArrayList<>();
        if (given.clusterId() != null) {
            errors.add(new FieldError("clusterId", "a version runs where the job runs; migrate the job to change its cluster"));
        }
        if (given.type() == JobKind.JAR) {
            errors.add(new FieldError("type", "a JAR job's version is a multipart upload"));
        }
        JobRequest request = new JobRequest(JobKind.SQL, given.name(), "(the job's)", given.entryClass(), given.parallelism(), given.args(),
                given.flinkConfiguration(), given.savepointPath(), given.script());
        errors.addAll(JobValidator.validateSql(request));
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        JobService.Artifact runner = sqlArtifact();
        var job = await(() -> jobs.newVersion(tenant, id, request, runner, traceparent));
        return Response.accepted(JobView.of(job)).build();
    }

    /** Cancels the run (without a savepoint). */
    @POST
    @Path("/{id}/cancel")
    public Uni<Response> cancel(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id) {
        return accepted(jobs.cancel(tenants.require(authorization), id, traceparent));
    }

    /** Triggers a savepoint of the running job (under the savepoint directory); the job goes on. */
    @POST
    @Path("/{id}/savepoints")
    public Uni<Response> savepoint(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id) {
        return accepted(jobs.savepoint(tenants.require(authorization), id, traceparent));
    }

    /** Stops the running job with a savepoint. */
    @POST
    @Path("/{id}/stop")
    public Uni<Response> stop(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id) {
        return accepted(jobs.stop(tenants.require(authorization), id, traceparent));
    }

    /** Submits the job's version again from its latest savepoint (a running job is stopped with one first). */
    @POST
    @Path("/{id}/restart")
    public Uni<Response> restart(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id) {
        return accepted(jobs.restart(tenants.require(authorization), id, traceparent));
    }

    /** {@code {"version": n}}: submits that version from the latest savepoint (a running job is stopped with one first). */
    @POST
    @Path("/{id}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> rollback(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id, RollbackRequest body) {
        return accepted(jobs.rollback(tenants.require(authorization), id, body == null ? null : body.version(), traceparent));
    }

    /** {@code {"clusterId": ..}}: stops the job with a savepoint and submits it on that cluster from it. */
    @POST
    @Path("/{id}/migrate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> migrate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id, MigrateRequest body) {
        return accepted(jobs.migrate(tenants.require(authorization), id, body == null ? null : body.clusterId(), traceparent));
    }

    private JarInspector.Result inspect(JobUpload upload) throws IOException {
        long size = Files.size(upload.jar());
        if (size > maxJarBytes) {
            throw new ProblemException(413, TOO_LARGE, "Jar too large", "the jar has " + size + " bytes; at most " + maxJarBytes
                    + " are accepted", List.of(new FieldError("jar", "larger than " + maxJarBytes + " bytes")));
        }
        return JarInspector.inspect(upload.jar(), upload.request().entryClass());
    }

    private static Uni<Response> accepted(Uni<dev.slipway.submission.Job> job) {
        return job.map(changed -> Response.accepted(JobView.of(changed)).build());
    }

    private JobService.Artifact sqlArtifact() throws IOException {
        return new JobService.Artifact(sqlRunner.stored(), SqlRunnerJar.FILENAME, SqlRunnerJar.ENTRY_CLASS);
    }

    private static ProblemException sqlIsJson() {
        return new ProblemException(415, "about:blank", "A SQL job is JSON",
                "send a SQL job as application/json: {\"type\":\"SQL\",\"clusterId\":..,\"script\":..}; multipart is for jars",
                List.of(new FieldError("type", "SQL jobs are sent as JSON, not as a multipart upload")));
    }

    private static <T> T await(Supplier<Uni<T>> uni) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(uni);
    }
}
