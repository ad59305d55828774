package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** jobs: SQL and JAR jobs of your tenant through job-submission, which tracks them, their versions and savepoints. */
final class JobCommands {

    private static final Duration WAIT = Duration.ofSeconds(180);

    private JobCommands() {
    }

    @Command(name = "jobs", mixinStandardHelpOptions = true,
            description = "Submit SQL scripts and JARs to a cluster, follow them, and act on them (cancel, savepoint, stop, restart, "
                    + "rollback, migrate), through job-submission.",
            subcommands = {SubmitSql.class, SubmitJar.class, ListJobs.class, Get.class, Cancel.class, Savepoint.class, Stop.class,
                    Restart.class, Rollback.class, Migrate.class})
    static final class Jobs implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(System.out);
            return SlipwayCli.USAGE;
        }
    }

    /** What submit-sql and submit-jar share: the job's name and parallelism, waiting, output. */
    static class SubmitOptions {

        @Option(names = "--name", description = "Job name (default: the script's pipeline.name, or the entry class).")
        String name;

        @Option(names = {"-p", "--parallelism"}, description = "Parallelism (default: the cluster's).")
        Integer parallelism;

        @Option(names = "--wait", description = "Wait until the job is RUNNING (or has ended) and print it.")
        boolean await;

        @Option(names = {"-d", "--dependency"}, paramLabel = "GROUP:ARTIFACT:VERSION",
                description = "A jar the job runs with (a connector, a format, a driver), fetched by the platform from its Maven "
                        + "repository; repeat for each. Only that jar is fetched, not its own dependencies: prefer the "
                        + "flink-sql-connector-* jars.")
        List<String> dependencies = new ArrayList<>();

        @Option(names = "--jar", paramLabel = "FILE", description = "A jar of yours the job runs with (UDFs, a connector); repeat for each.")
        List<Path> jars = new ArrayList<>();

        void requireJars(CommandSpec spec) {
            for (Path jar : jars) {
                if (!Files.isRegularFile(jar)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--jar " + jar + ": no such file");
                }
            }
        }

        @CommandLine.Mixin
        Output.Flag output;

        int submitted(SubmissionClient submission, JsonNode job) {
            JsonNode shown = await ? submission.awaitJob(job.path("id").asText(), Set.of("RUNNING"), WAIT) : job;
            if (output.json()) {
                Output.json(System.out, shown);
            } else {
                System.out.println("job " + shown.path("id").asText() + " (" + shown.path("kind").asText() + ", " + shown.path("name").asText()
                        + ") on " + shown.path("clusterId").asText() + ": " + status(shown));
            }
            return shown.path("status").asText().equals("FAILED") ? SlipwayCli.FAILURE : SlipwayCli.OK;
        }
    }

    @Command(name = "submit-sql", mixinStandardHelpOptions = true,
            description = "Submit a Flink SQL script (a file, or - for standard input): its statements are checked here, planned in the "
                    + "cluster's JobManager, and every INSERT runs in one Flink job.")
    static final class SubmitSql implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CLUSTER")
        String cluster;

        @Parameters(index = "1", paramLabel = "SCRIPT", description = "A .sql file, or - to read standard input.")
        String script;

        @CommandLine.Mixin
        SubmitOptions options;

        @Override
        public Integer call() {
            ClusterCommands.requireClusterId(spec, cluster);
            String text;
            try {
                text = script.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(script));
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read the script " + script + ": " + e.getMessage());
            }
            options.requireJars(spec);
            SubmissionClient submission = new SubmissionClient(Settings.load());
            return options.submitted(submission, submission.submitSql(cluster, options.name, text, options.parallelism,
                    options.dependencies, options.jars));
        }
    }

    @Command(name = "submit-jar", mixinStandardHelpOptions = true,
            description = "Upload a jar as a job of the cluster. Arguments after '--' go to the job's main.")
    static final class SubmitJar implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CLUSTER")
        String cluster;

        @Parameters(index = "1", paramLabel = "JAR")
        Path jar;

        @Parameters(index = "2..*", paramLabel = "ARGS", description = "The job's own arguments (after --).")
        List<String> args = new ArrayList<>();

        @Option(names = {"-c", "--class"}, paramLabel = "CLASS", description = "Entry class (default: the jar's Main-Class).")
        String entryClass;

        @CommandLine.Mixin
        SubmitOptions options;

        @Override
        public Integer call() {
            ClusterCommands.requireClusterId(spec, cluster);
            if (!Files.isRegularFile(jar)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no jar at " + jar);
            }
            options.requireJars(spec);
            SubmissionClient submission = new SubmissionClient(Settings.load());
            return options.submitted(submission, submission.submitJar(cluster, jar, options.name, entryClass, options.parallelism, args,
                    options.dependencies, options.jars));
        }
    }

    static String status(JsonNode job) {
        JsonNode operation = job.path("operation");
        return job.path("status").asText() + (operation.isMissingNode() || operation.isNull() ? "" : " (" + operation.asText() + " in progress)")
                + SubmissionClient.reason(job);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Your jobs, or one cluster's.")
    static final class ListJobs implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "CLUSTER")
        String cluster;

        @CommandLine.Mixin
        Output.Flag output;

        @Override
        public Integer call() {
            if (cluster != null) {
                ClusterCommands.requireClusterId(spec, cluster);
            }
            JsonNode jobs = new SubmissionClient(Settings.load()).jobs(cluster);
            if (output.json()) {
                Output.json(System.out, jobs);
                return SlipwayCli.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode job : jobs) {
                rows.add(List.of(job.path("id").asText(), job.path("kind").asText(), job.path("name").asText(), job.path("clusterId").asText(),
                        "v" + job.path("version").asInt(), status(job), Output.text(job.path("flinkJobId"))));
            }
            if (rows.isEmpty()) {
                System.out.println(cluster == null ? "no jobs" : "no jobs on " + cluster);
            } else {
                Output.table(System.out, List.of("JOB", "KIND", "NAME", "CLUSTER", "VERSION", "STATUS", "FLINK JOB"), rows);
            }
            return SlipwayCli.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "A job with its versions and savepoints.")
    static final class Get implements Callable<Integer> {

        @Parameters(paramLabel = "JOB")
        String id;

        @CommandLine.Mixin
        Output.Flag output;

        @Override
        public Integer call() {
            JsonNode job = new SubmissionClient(Settings.load()).job(id);
            if (output.json()) {
                Output.json(System.out, job);
                return SlipwayCli.OK;
            }
            System.out.println("job           " + id + " (" + job.path("kind").asText() + ", " + job.path("name").asText() + ")");
            System.out.println("cluster       " + job.path("clusterId").asText());
            System.out.println("status        " + status(job));
            if (job.hasNonNull("statusReason")) {
                System.out.println("why           " + job.path("statusReason").asText());
            }
            if (job.hasNonNull("failureCause")) {
                // Its root cause comes first: the missing class, the SQL identifier Flink did not find.
                System.out.println("cause         " + job.path("failureCause").asText().lines().findFirst().orElse(""));
                System.out.println("logs          ./slipway search " + job.path("clusterId").asText() + " --level WARN,ERROR");
            }
            System.out.println("Flink job     " + Output.text(job.path("flinkJobId")));
            System.out.println("checkpoint    " + Output.text(job.path("latestCheckpoint")));
            if (job.hasNonNull("restoredFrom")) {
                System.out.println("restored from " + job.path("restoredFrom").path("path").asText() + " ("
                        + job.path("restoredFrom").path("kind").asText().toLowerCase(Locale.ROOT) + ")");
            }
            System.out.println("version       " + job.path("version").asInt() + " of " + job.path("latestVersion").asInt());
            System.out.println("savepoint     " + Output.text(job.path("latestSavepoint")));
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode version : job.path("versions")) {
                String what = version.path("kind").asText().equals("SQL")
                        ? version.path("script").asText().strip().lines().filter(line -> !line.isBlank()).count() + " lines of SQL"
                        : version.path("entryClass").asText() + " " + String.join(" ", Http.JSON.convertValue(version.path("args"), String[].class));
                List<String> dependencies = new ArrayList<>();
                for (JsonNode dependency : version.path("dependencies")) {
                    dependencies.add(dependency.hasNonNull("coordinate") ? dependency.path("coordinate").asText()
                            : dependency.path("file").asText() + " (uploaded)");
                }
                rows.add(List.of("v" + version.path("version").asInt(), what, Output.text(version.path("parallelism")),
                        dependencies.isEmpty() ? "-" : String.join(", ", dependencies), Output.time(version.path("createdAt"))));
            }
            System.out.println();
            Output.table(System.out, List.of("VERSION", "WHAT", "PARALLELISM", "DEPENDENCIES", "CREATED"), rows);
            if (!job.path("savepoints").isEmpty()) {
                List<List<String>> savepoints = new ArrayList<>();
                for (JsonNode savepoint : job.path("savepoints")) {
                    savepoints.add(List.of(savepoint.path("path").asText(), savepoint.path("kind").asText(),
                            "v" + savepoint.path("version").asInt(), Output.time(savepoint.path("createdAt")), kept(savepoint)));
                }
                System.out.println();
                Output.table(System.out, List.of("SAVEPOINT", "KIND", "VERSION", "TAKEN", "KEPT"), savepoints);
            }
            return SlipwayCli.OK;
        }

        /** Kept, or disposed of by the retention (when), or left where it is because Flink could not dispose of it. */
        private static String kept(JsonNode savepoint) {
            if (savepoint.hasNonNull("disposedAt")) {
                return "disposed of " + Output.time(savepoint.path("disposedAt"));
            }
            return savepoint.hasNonNull("disposalError") ? "yes (disposal failed: " + savepoint.path("disposalError").asText().lines().findFirst().orElse("") + ")"
                    : "yes";
        }
    }

    /** An action on a job: answers at once (the job shows the action in progress) or, with --wait, once it is done. */
    abstract static class Action implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "JOB")
        String id;

        @Option(names = "--wait", description = "Wait until the action is done and print the job.")
        boolean await;

        abstract String action();

        String body() {
            return null;
        }

        Set<String> settledIn() {
            return Set.of("RUNNING");
        }

        @Override
        public Integer call() {
            SubmissionClient submission = new SubmissionClient(Settings.load());
            JsonNode job = submission.act(id, action(), body());
            if (await) {
                job = submission.awaitJob(id, settledIn(), WAIT);
            }
            System.out.println("job " + id + ": " + status(job));
            return job.path("operationError").isMissingNode() || job.path("operationError").isNull() ? SlipwayCli.OK : SlipwayCli.FAILURE;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel the job's run (no savepoint).")
    static final class Cancel extends Action {
        @Override
        String action() {
            return "cancel";
        }

        @Override
        Set<String> settledIn() {
            return SubmissionClient.TERMINAL;
        }
    }

    @Command(name = "savepoint", mixinStandardHelpOptions = true, description = "Take a savepoint; the job goes on.")
    static final class Savepoint extends Action {
        @Override
        String action() {
            return "savepoints";
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the job with a savepoint.")
    static final class Stop extends Action {
        @Override
        String action() {
            return "stop";
        }

        @Override
        Set<String> settledIn() {
            return SubmissionClient.TERMINAL;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, description = "Run the job's version again from its latest savepoint.")
    static final class Restart extends Action {
        @Override
        String action() {
            return "restart";
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Run an earlier version of the job from its latest savepoint.")
    static final class Rollback extends Action {

        @Parameters(index = "1", paramLabel = "VERSION")
        int version;

        @Override
        String action() {
            return "rollback";
        }

        @Override
        String body() {
            return "{\"version\":" + version + "}";
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, description = "Move the job to another cluster: stop with a savepoint, run there from it.")
    static final class Migrate extends Action {

        @Parameters(index = "1", paramLabel = "CLUSTER")
        String cluster;

        @Override
        String action() {
            return "migrate";
        }

        @Override
        String body() {
            return Http.JSON.createObjectNode().put("clusterId", cluster).toString();
        }
    }
}
