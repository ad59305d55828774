package dev.slipway.submission.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.cluster.ClusterIdGrammar;
import dev.slipway.contracts.jobs.JobKind;
import dev.slipway.rest.access.ClusterIdCheck;
import dev.slipway.rest.problems.Problem.FieldError;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.submission.artifact.ArtifactStore;
import dev.slipway.submission.artifact.SqlRunnerJar;
import dev.slipway.submission.config.SubmissionConfig;
import dev.slipway.submission.dependency.JobDependencies;
import dev.slipway.submission.job.JarInspector;
import dev.slipway.submission.job.JobDependency;
import dev.slipway.submission.job.JobRequest;
import dev.slipway.submission.job.JobValidator;
import dev.slipway.submission.service.JobService;
import dev.slipway.submission.service.OnVertxContext;
import dev.slipway.submission.tenant.Tenant;
import dev.slipway.submission.tenant.TenantDirectory;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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
    private final JobDependencies dependencies;
    private final ObjectMapper json;
    private final long maxJarBytes;

    public JobsResource(TenantDirectory tenants, JobService jobs, ArtifactStore artifacts, SqlRunnerJar sqlRunner,
            JobDependencies dependencies, ObjectMapper json, SubmissionConfig config) {
        this.dependencies = dependencies;
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
     * A job as a multipart upload: a JAR job's part {@code jar} and the fields, or a SQL job ({@code type} SQL) with jars it
     * needs in parts {@code dependency}. 201 with the job, SUBMITTED and waiting for its cluster; 400 with the fields at
     * fault (not a jar, no such entry class, a Maven coordinate no repository has, ...), 413 for a jar over the limit, 404
     * for a cluster that is not the tenant's, 502 when a Maven repository fails.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    public Response createJar(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, MultipartFormDataInput input, @Context UriInfo uri) throws IOException {
        Tenant tenant = tenants.require(authorization);
        try (JobUpload upload = JobUpload.parse(input, json)) {
            Checked checked = checked(upload, false, new ArrayList<>());
            var job = await(() -> jobs.create(tenant, checked.request(), checked.artifact(), traceparent));
            return Response.created(uri.getAbsolutePathBuilder().path(job.id).build()).entity(JobView.of(job)).build();
        }
    }

    /**
     * A SQL job: {@code {"type":"SQL","clusterId":..,"script":..,"name"?,"parallelism"?,"flinkConfiguration"?,"savepointPath"?,
     * "dependencies"?}}. The script is split and checked here (400 naming {@code script} with the line at fault); Flink plans it
     * in the JobManager when the cluster runs, and a statement Flink refuses fails the job with Flink's message. The Maven
     * coordinates in {@code dependencies} (connectors, formats, drivers) are fetched now and run with this job only.
     * A JAR job, or a SQL job with jars of its own, is a multipart upload.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response createFromJson(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, JobRequest body, @Context UriInfo uri) throws IOException {
        Tenant tenant = tenants.require(authorization);
        if (body == null || body.type() != JobKind.SQL) {
            throw new ProblemException(415, "about:blank", "A JAR job is a multipart upload",
                    "send a SQL job as JSON with \"type\":\"SQL\", or a JAR job as multipart/form-data with the jar in part 'jar'",
                    List.of(new FieldError("type", "JSON is for SQL jobs: set \"type\":\"SQL\" and \"script\"")));
        }
        invalidIfAny(JobValidator.validateSql(body));
        JobService.Artifact runner = sqlArtifact(dependencies.take(body.dependencies(), List.of()));
        var job = await(() -> jobs.create(tenant, body, runner, traceparent));
        return Response.created(uri.getAbsolutePathBuilder().path(job.id).build()).entity(JobView.of(job)).build();
    }

    /** The tenant's jobs, oldest first; {@code clusterId} narrows them to one cluster. */
    @GET
    public Uni<List<JobView>> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(schema = @Schema(type = SchemaType.STRING, pattern = ClusterIdGrammar.REGEX))
            @QueryParam("clusterId") String clusterId) {
        Tenant tenant = tenants.require(authorization);
        if (clusterId != null && !clusterId.isEmpty()) {
            ClusterIdCheck.require(clusterId);
        }
        return jobs.list(tenant, clusterId).map(all -> all.stream().map(JobView::of).toList());
    }

    /** The job with its versions and savepoints. */
    @GET
    @Path("/{id}")
    public Uni<JobView> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        return jobs.get(tenants.require(authorization), id)
                .map(details -> JobView.of(details.job(), details.versions(), details.savepoints(), jobs));
    }

    /**
     * A new version as a multipart upload, as a new job but without clusterId (a JAR job's jar, or a SQL job's script with jars
     * of its own): the running one is stopped with a savepoint and the new one submitted from it.
     */
    @POST
    @Path("/{id}/versions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Blocking
    public Response newVersion(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id, MultipartFormDataInput input) throws IOException {
        Tenant tenant = tenants.require(authorization);
        try (JobUpload upload = JobUpload.parse(input, json)) {
            Checked checked = checked(upload, true, new ArrayList<>(versionErrors(upload.request())));
            var job = await(() -> jobs.newVersion(tenant, id, checked.request(), checked.artifact(), traceparent));
            return Response.accepted(JobView.of(job)).build();
        }
    }

    /**
     * A new version of a SQL job: {@code {"script":..,"parallelism"?,"flinkConfiguration"?,"savepointPath"?,"dependencies"?}},
     * deployed like a JAR job's.
     */
    @POST
    @Path("/{id}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public Response newSqlVersion(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(CloudEventHeaders.TRACEPARENT) String traceparent, @PathParam("id") String id, JobRequest body) throws IOException {
        Tenant tenant = tenants.require(authorization);
        JobRequest given = body == null ? JobRequest.empty() : body;
        List<FieldError> errors = new ArrayList<>(versionErrors(given));
        if (given.type() == JobKind.JAR) {
            errors.add(new FieldError("type", "a JAR job's version is a multipart upload"));
        }
        JobRequest request = given.asVersion(JobKind.SQL);
        errors.addAll(JobValidator.validateSql(request));
        invalidIfAny(errors);
        JobService.Artifact runner = sqlArtifact(dependencies.take(request.dependencies(), List.of()));
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

    /** An upload's request, checked, with its artifact stored beside its dependencies. */
    private record Checked(JobRequest request, JobService.Artifact artifact) {
    }

    /**
     * Checks a multipart upload as a SQL job (the SQL runner runs it) or a JAR job (its jar), adding to {@code errors} (what
     * the caller found already), then takes its dependencies and stores its artifact. {@code version}: the request is a new
     * version, whose cluster is the job's own.
     */
    private Checked checked(JobUpload upload, boolean version, List<FieldError> errors) throws IOException {
        if (upload.request().type() == JobKind.SQL) {
            JobRequest request = version ? upload.request().asVersion(JobKind.SQL) : upload.request();
            errors.addAll(JobValidator.validateSql(request));
            invalidIfAny(errors);
            return new Checked(request, sqlArtifact(dependencies.take(request.dependencies(), upload.dependencyJars())));
        }
        JarInspector.Result jar = inspect(upload);
        JobRequest withDefaults = upload.request().withJarDefaults(jar.entryClass());
        JobRequest request = version ? withDefaults.asVersion(JobKind.JAR) : withDefaults;
        errors.addAll(JobValidator.validateJar(request));
        errors.addAll(jar.errors());
        invalidIfAny(errors);
        List<JobDependency> taken = dependencies.take(request.dependencies(), upload.dependencyJars()); // a refusal stores no jar
        return new Checked(request, new JobService.Artifact(artifacts.store(upload.jar()), upload.filename(), jar.entryClass(), taken));
    }

    private JobService.Artifact sqlArtifact(List<JobDependency> taken) throws IOException {
        return new JobService.Artifact(sqlRunner.stored(), SqlRunnerJar.FILENAME, SqlRunnerJar.ENTRY_CLASS, taken);
    }

    /** A version runs where its job runs. */
    private static List<FieldError> versionErrors(JobRequest given) {
        return given.clusterId() == null ? List.of()
                : List.of(new FieldError("clusterId", "a version runs where the job runs; migrate the job to change its cluster"));
    }

    private static void invalidIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    private static <T> T await(Supplier<Uni<T>> uni) {
        return OnVertxContext.await(uni);
    }
}
