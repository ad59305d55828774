package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** jobs: through the cluster's JobManager REST API, found through the pod-provisioner. */
final class JobCommands {

    private JobCommands() {
    }

    static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "CANCELED");

    @Command(name = "jobs", mixinStandardHelpOptions = true,
            description = "Submit, list and cancel a cluster's Flink jobs (through its JobManager's REST API; job-submission "
                    + "will track them once it serves jobs). SQL jobs need a SQL runner that does not exist yet.",
            subcommands = {SubmitJar.class, ListJobs.class, Cancel.class})
    static final class Jobs implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(System.out);
            return SlipwayCli.USAGE;
        }
    }

    @Command(name = "submit-jar", mixinStandardHelpOptions = true,
            description = "Upload a jar to the cluster's JobManager and run it. Arguments after '--' go to the job's main.")
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

        @Option(names = {"-p", "--parallelism"}, defaultValue = "0", description = "Parallelism (default: the cluster's).")
        int parallelism;

        @Option(names = "--wait", description = "Wait until the job is RUNNING (or ends) and print its state.")
        boolean await;

        @CommandLine.Mixin
        Output.Flag output;

        @Override
        public Integer call() {
            ClusterCommands.requireClusterId(spec, cluster);
            if (!Files.isRegularFile(jar)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no jar at " + jar);
            }
            PlatformClient client = new PlatformClient(Settings.load());
            String jobManager = client.requireJobManager(cluster);
            String jobId = client.submitJar(jobManager, jar, entryClass, parallelism, args);
            String state = await ? awaitRunning(client, jobManager, jobId, Duration.ofSeconds(180)) : client.job(jobManager, jobId).path("state").asText();
            if (output.json()) {
                ObjectNode json = Http.JSON.createObjectNode();
                json.put("clusterId", cluster);
                json.put("jobId", jobId);
                json.put("state", state);
                json.put("jobManagerUrl", jobManager);
                Output.json(System.out, json);
            } else {
                System.out.println("job " + jobId + " submitted to " + cluster + ": " + state + " (" + jobManager + "/#/job/running/" + jobId + ")");
            }
            return state.equals("FAILED") ? SlipwayCli.FAILURE : SlipwayCli.OK;
        }
    }

    /** Waits until every task of the job runs, or the job ends; answers the job's state. */
    static String awaitRunning(PlatformClient client, String jobManager, String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = client.job(jobManager, jobId);
            String state = job.path("state").asText();
            if (TERMINAL.contains(state)) {
                return state;
            }
            boolean allRunning = job.path("vertices").size() > 0;
            for (JsonNode vertex : job.path("vertices")) {
                allRunning &= vertex.path("status").asText().equals("RUNNING") || vertex.path("status").asText().equals("FINISHED");
            }
            if (state.equals("RUNNING") && allRunning) {
                return state;
            }
            PlatformClient.sleep(500);
        }
        throw new CliException("job " + jobId + " was not running within " + timeout.toSeconds() + " s");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The cluster's jobs as its JobManager reports them.")
    static final class ListJobs implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @CommandLine.Mixin
        Output.Flag output;

        @Override
        public Integer call() {
            ClusterCommands.requireClusterId(spec, cluster);
            PlatformClient client = new PlatformClient(Settings.load());
            JsonNode jobs = client.jobs(client.requireJobManager(cluster)).path("jobs");
            if (output.json()) {
                Output.json(System.out, jobs);
                return SlipwayCli.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode job : jobs) {
                rows.add(List.of(job.path("jid").asText(), job.path("name").asText(), job.path("state").asText(),
                        Output.seconds(Duration.ofMillis(job.path("duration").asLong())), job.path("tasks").path("total").asText()));
            }
            if (rows.isEmpty()) {
                System.out.println("no jobs on " + cluster);
            } else {
                Output.table(System.out, List.of("JOB", "NAME", "STATE", "DURATION", "TASKS"), rows);
            }
            return SlipwayCli.OK;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a running job.")
    static final class Cancel implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CLUSTER")
        String cluster;

        @Parameters(index = "1", paramLabel = "JOB")
        String jobId;

        @Override
        public Integer call() {
            ClusterCommands.requireClusterId(spec, cluster);
            PlatformClient client = new PlatformClient(Settings.load());
            client.cancel(client.requireJobManager(cluster), jobId);
            System.out.println("job " + jobId + " on " + cluster + ": cancelling");
            return SlipwayCli.OK;
        }
    }
}
