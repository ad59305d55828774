package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.contracts.jobs.JobKind;
import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.rest.problems.Problem.FieldError;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.submission.client.FlinkRestClient;
import dev.slipway.submission.job.FlinkStates;
import dev.slipway.submission.job.JarInspector;
import dev.slipway.submission.job.JobIds;
import dev.slipway.submission.job.JobRequest;
import dev.slipway.submission.job.JobTransitions;
import dev.slipway.submission.job.JobValidator;
import dev.slipway.submission.job.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure rules of jobs: the jar check, field validation, Flink's states, and how actions and Flink's answers change a job. */
class JobRulesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aJarIsAZipWithTheEntryClassOrTheManifestsMainClass() {
        var withMain = Jars.file(Jars.jar("dev.example.Main", "dev.example.Main"), "a.jar");
        assertThat(JarInspector.inspect(withMain, null)).isEqualTo(new JarInspector.Result("dev.example.Main", List.of()));
        var noManifestMain = Jars.file(Jars.jar(null, "dev.example.Job", "dev.example.Job$Inner"), "b.jar");
        assertThat(JarInspector.inspect(noManifestMain, "dev.example.Job$Inner").valid()).isTrue();
        assertThat(JarInspector.inspect(noManifestMain, null).errors())
                .containsExactly(new FieldError("entryClass", "is required: the jar's manifest names no Main-Class"));
        assertThat(JarInspector.inspect(noManifestMain, "dev.example.Missing").errors())
                .containsExactly(new FieldError("entryClass", "the jar has no class dev.example.Missing"));
        assertThat(JarInspector.inspect(noManifestMain, "not a class!").errors())
                .containsExactly(new FieldError("entryClass", "'not a class!' is not a Java class name"));
    }

    @Test
    void whatIsNotAJarIsSaidSo() {
        var text = Jars.file("hello, not a jar".getBytes(StandardCharsets.UTF_8), "x.jar");
        assertThat(JarInspector.inspect(text, "a.B").errors()).extracting(FieldError::field).containsExactly("jar");
        assertThat(JarInspector.inspect(text, "a.B").errors().get(0).message()).contains("does not start as a zip archive");
        var empty = Jars.file(new byte[0], "e.jar");
        assertThat(JarInspector.inspect(empty, "a.B").errors()).containsExactly(new FieldError("jar", "is empty"));
        byte[] truncated = java.util.Arrays.copyOf(Jars.jar("a.B", "a.B"), 40);
        assertThat(JarInspector.inspect(Jars.file(truncated, "t.jar"), "a.B").errors()).extracting(FieldError::field)
                .containsExactly("jar");
    }

    @Test
    void fieldsAreCheckedByName() {
        JobRequest request = new JobRequest(JobKind.JAR, "bad/name", null, "a.B", 0, java.util.Arrays.asList("ok", null),
                Map.of("rest.port", "1", "slipway.cluster.id", "x", "pipeline.name", "fine"), "relative/path", "select 1", null);
        assertThat(JobValidator.validateJar(request)).extracting(FieldError::field).containsExactlyInAnyOrder("clusterId", "name",
                "parallelism", "script", "args[1]", "flinkConfiguration[rest.port]", "flinkConfiguration[slipway.cluster.id]",
                "savepointPath");
        JobRequest good = new JobRequest(JobKind.JAR, null, "c-1", "a.B", 4, List.of("--rate", "100"), Map.of("pipeline.name", "x"),
                "file:///tmp/sp/savepoint-1", null, null);
        assertThat(JobValidator.validateJar(good)).isEmpty();
        assertThat(JobValidator.defaultName("dev.example.SteadyStream")).isEqualTo("SteadyStream");
    }

    @Test
    void aSqlJobsFieldsAndScriptAreCheckedByName() {
        JobRequest request = new JobRequest(JobKind.SQL, null, "c-1", "a.B", 2, List.of("x"), Map.of("rest.port", "1"), null,
                "CREATE TABLE t (x INT) WITH ('connector' = 'datagen');", null);
        assertThat(JobValidator.validateSql(request)).extracting(FieldError::field).containsExactlyInAnyOrder("entryClass", "args",
                "script", "flinkConfiguration[rest.port]");
        assertThat(JobValidator.validateSql(request)).filteredOn(error -> error.field().equals("script")).extracting(FieldError::message)
                .containsExactly("the script has no INSERT INTO: a SQL job runs its INSERT statements, and without one nothing would run");
        JobRequest empty = new JobRequest(JobKind.SQL, null, "c-1", null, null, null, null, null, " ", null);
        assertThat(JobValidator.validateSql(empty)).extracting(FieldError::message)
                .containsExactly("is required: the Flink SQL statements of the job, each ending with ';'");
        JobRequest huge = new JobRequest(JobKind.SQL, null, "c-1", null, null, null, null, null,
                "INSERT INTO t VALUES (1);" + " ".repeat(JobValidator.MAX_SCRIPT_LENGTH), null);
        assertThat(JobValidator.validateSql(huge)).extracting(FieldError::message).containsExactly("at most 1000000 characters");
        JobRequest good = new JobRequest(JobKind.SQL, null, "c-1", null, 2, List.of(), Map.of("pipeline.name", "x"), null,
                "SET 'pipeline.name' = 'orders';\nINSERT INTO t VALUES (1);", null);
        assertThat(JobValidator.validateSql(good)).isEmpty();
        assertThat(JobValidator.defaultSqlName(good.script())).isEqualTo("orders");
        assertThat(JobValidator.defaultSqlName("SET 'pipeline.name' = '/bad';")).isEqualTo("sql-job");
    }

    @Test
    void aSqlSetCannotOverrideWhatThePlatformOwns() {
        JobRequest request = new JobRequest(JobKind.SQL, null, "c-1", null, null, null, null, null, """
                SET 'pipeline.name' = 'orders';
                SET 'slipway.cluster.token' = 'forged';
                SET 'high-availability.storageDir' = 'file:///tmp/elsewhere';
                SET 's3.secret-key' = 'mine';
                INSERT INTO t VALUES (1);
                """, null);
        assertThat(JobValidator.validateSql(request)).extracting(FieldError::message).containsExactly(
                "line 2: SET 'slipway.cluster.token' is set by the platform and cannot be overridden",
                "line 3: SET 'high-availability.storageDir' is set by the platform and cannot be overridden",
                "line 4: SET 's3.secret-key' is set by the platform and cannot be overridden");
    }

    @Test
    void flinksErrorTracesKeepTheirMessagesAndCauses() {
        String trace = "org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n"
                + "\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:114)\n"
                + "Caused by: org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: "
                + "Object 'no_such_table' not found\n"
                + "\tat org.apache.flink.client.program.PackagedProgram.callMainMethod(PackagedProgram.java:373)\n"
                + "\t... 12 more";
        assertThat(FlinkRestClient.withoutFrames(trace)).isEqualTo(
                "org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n"
                        + "Caused by: org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: "
                        + "Object 'no_such_table' not found");
    }

    @Test
    void flinksStatesMapToTheJobStatus() {
        assertThat(FlinkStates.of("INITIALIZING")).contains(JobStatus.SUBMITTED);
        assertThat(FlinkStates.of("RUNNING")).contains(JobStatus.RUNNING);
        assertThat(FlinkStates.of("RESTARTING")).contains(JobStatus.FAILING);
        assertThat(FlinkStates.of("FAILED")).contains(JobStatus.FAILED);
        assertThat(FlinkStates.of("FINISHED")).contains(JobStatus.FINISHED);
        assertThat(FlinkStates.of("CANCELED")).contains(JobStatus.CANCELED);
        assertThat(FlinkStates.of("CANCELLING")).isEqualTo(Optional.empty());
    }

    @Test
    void platformChosenFlinkIdsAreStableHex() {
        assertThat(JobIds.flinkJobId("orders-1", 1)).matches("[0-9a-f]{32}").isEqualTo(JobIds.flinkJobId("orders-1", 1))
                .isNotEqualTo(JobIds.flinkJobId("orders-1", 2));
        assertThat(JobIds.triggerId("orders-1", 3)).matches("[0-9a-f]{32}");
    }

    private static Job running(String flinkJobId) {
        Job job = new Job();
        job.id = "j";
        job.clusterId = "c1";
        job.version = 1;
        job.latestVersion = 2;
        job.status = JobStatus.RUNNING;
        job.flinkJobId = flinkJobId;
        job.operation = Operation.NONE;
        return job;
    }

    @Test
    void aRestartOfARunningJobStopsItWithASavepointThenSubmitsFromIt() {
        Job job = running("f1");
        JobTransitions.redeploy(job, 2, "c2", "migrate it", NOW);
        assertThat(job.operation).isEqualTo(Operation.STOP);
        assertThat(job.pending.thenSubmit).isTrue();
        assertThatThrownBy(() -> JobTransitions.savepoint(job, NOW)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("busy with STOP");

        // Flink reports the end before the stop's result is read: nothing is decided yet.
        JobTransitions.observed(job, JobStatus.FINISHED, null, NOW);
        assertThat(job.status).isEqualTo(JobStatus.FINISHED);
        assertThat(job.operation).isEqualTo(Operation.STOP);
        JobTransitions.savepointCompleted(job, "file:///sp/savepoint-1", NOW);
        assertThat(job.operation).isEqualTo(Operation.SUBMIT);
        assertThat(job.pending.restorePath).isEqualTo("file:///sp/savepoint-1");
        assertThat(job.latestSavepoint).isEqualTo("file:///sp/savepoint-1");

        JobTransitions.submitted(job, "f2", NOW);
        assertThat(job.operation).isEqualTo(Operation.NONE);
        assertThat(job.flinkJobId).isEqualTo("f2");
        assertThat(job.version).isEqualTo(2);
        assertThat(job.clusterId).isEqualTo("c2");
        assertThat(job.status).isEqualTo(JobStatus.SUBMITTED);
        assertThat(job.runs).isEqualTo(1);
    }

    @Test
    void aJobWithoutALiveRunIsSubmittedFromItsLatestSavepoint() {
        Job job = running("f1");
        job.status = JobStatus.FAILED;
        job.latestSavepoint = "file:///sp/savepoint-9";
        JobTransitions.redeploy(job, 1, "c1", "restart it", NOW);
        assertThat(job.operation).isEqualTo(Operation.SUBMIT);
        assertThat(job.pending.restorePath).isEqualTo("file:///sp/savepoint-9");
        assertThat(job.status).as("the status stays Flink's until the new run is accepted").isEqualTo(JobStatus.FAILED);
    }

    @Test
    void cancellingBeforeSubmissionNeedsNoFlinkAndAFinishedJobCannotBeCancelled() {
        Job waiting = running(null);
        waiting.status = JobStatus.SUBMITTED;
        JobTransitions.redeploy(waiting, 1, "c1", "submit it", NOW);
        long seq = waiting.opSeq;
        assertThat(JobTransitions.cancel(waiting, NOW)).isTrue();
        assertThat(waiting.status).isEqualTo(JobStatus.CANCELED);
        assertThat(waiting.operation).isEqualTo(Operation.NONE);
        assertThat(waiting.opSeq).as("a submission in flight no longer matches").isGreaterThan(seq);

        Job finished = running("f1");
        finished.status = JobStatus.FINISHED;
        assertThatThrownBy(() -> JobTransitions.cancel(finished, NOW)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().status()).isEqualTo(409));

        Job live = running("f1");
        assertThat(JobTransitions.cancel(live, NOW)).isTrue();
        assertThat(JobTransitions.cancel(live, NOW)).as("cancelling twice is one cancellation").isFalse();
        JobTransitions.observed(live, JobStatus.CANCELED, null, NOW);
        assertThat(live.operation).isEqualTo(Operation.NONE);
    }

    @Test
    void aSavepointNeedsARunningJobAndFailsIfTheRunEndsFirst() {
        Job submitted = running("f1");
        submitted.status = JobStatus.SUBMITTED;
        assertThatThrownBy(() -> JobTransitions.savepoint(submitted, NOW)).hasMessageContaining("is SUBMITTED, not RUNNING");
        Job job = running("f1");
        JobTransitions.savepoint(job, NOW);
        JobTransitions.observed(job, JobStatus.FAILED, "java.lang.RuntimeException: boom", NOW);
        assertThat(job.operation).isEqualTo(Operation.NONE);
        assertThat(job.opError).contains("before the savepoint completed");
        assertThat(job.failureCause).isEqualTo("java.lang.RuntimeException: boom");
    }
}
