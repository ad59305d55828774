package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.contracts.cluster.ClusterIdGrammar;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** clusters, decisions, pods, replay: the resource-scheduler's and the provisioner's view of clusters. */
final class ClusterCommands {

    private ClusterCommands() {
    }

    static String requireClusterId(CommandSpec spec, String id) {
        if (!ClusterIdGrammar.valid(id)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "invalid cluster id '" + id + "': " + ClusterIdGrammar.RULE);
        }
        return id;
    }

    @Command(name = "clusters", mixinStandardHelpOptions = true, description = "Create, list, show and delete session clusters.",
            subcommands = {Create.class, ListClusters.class, Get.class, Delete.class, RevokeTokens.class})
    static final class Clusters implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(System.out);
            return SlipwayCli.USAGE;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a session cluster through job-submission (validated field by field, counted against your "
                    + "tenant's quotas): its JobManager starts as a local process, TaskManagers follow Flink's demand (ELASTIC) "
                    + "or a fixed count (STATIC). The cluster's id is its name with a suffix."})
    static final class Create implements Callable<Integer> {

        @Parameters(paramLabel = "NAME", description = "Cluster name; the id is derived from it.")
        String name;

        @Option(names = "--mode", defaultValue = "ELASTIC", description = "ELASTIC (default) or STATIC.")
        ClusterMode mode;

        @Option(names = "--flink-version", defaultValue = ClusterSpec.DEFAULT_FLINK_VERSION,
                description = "Flink version (default ${DEFAULT-VALUE}).")
        String flinkVersion;

        @Option(names = "--slots", defaultValue = "2", description = "Task slots per TaskManager (default ${DEFAULT-VALUE}).")
        int slots;

        @Option(names = "--warm-pool", defaultValue = "0", description = "ELASTIC: idle TaskManagers kept ready (default ${DEFAULT-VALUE}).")
        int warmPool;

        @Option(names = "--max-task-managers", defaultValue = "4", description = "ELASTIC: at most this many TaskManagers (default ${DEFAULT-VALUE}).")
        int maxTaskManagers;

        @Option(names = "--idle-timeout", defaultValue = "60", paramLabel = "SECONDS",
                description = "ELASTIC: an idle TaskManager is released after this long (default ${DEFAULT-VALUE}).")
        long idleTimeout;

        @Option(names = "--task-managers", defaultValue = "2", description = "STATIC: the fixed TaskManager count (default ${DEFAULT-VALUE}).")
        int taskManagers;

        @Option(names = "--tm-memory", defaultValue = "1024", paramLabel = "MiB", description = "TaskManager process memory (default ${DEFAULT-VALUE}).")
        int tmMemory;

        @Option(names = "--tm-cpu", defaultValue = "0.5", description = "TaskManager CPU cores (default ${DEFAULT-VALUE}).")
        double tmCpu;

        @Option(names = "--jm-memory", defaultValue = "1024", paramLabel = "MiB", description = "JobManager process memory (default ${DEFAULT-VALUE}).")
        int jmMemory;

        @Option(names = {"-D", "--conf"}, paramLabel = "KEY=VALUE", description = "Flink configuration override (repeatable).")
        Map<String, String> flinkConfiguration = new LinkedHashMap<>();

        @Option(names = "--wait", description = "Wait until the cluster is RUNNING and print its JobManager's URL.")
        boolean await;

        @CommandLine.Mixin
        Output.Flag output;

        @Override
        public Integer call() {
            ObjectNode request = request(name, mode, flinkVersion, jmMemory, tmCpu, tmMemory, slots, taskManagers,
                    warmPool, maxTaskManagers, idleTimeout, flinkConfiguration);
            Settings settings = Settings.load();
            SubmissionClient submission = new SubmissionClient(settings);
            JsonNode cluster = submission.createCluster(request);
            String id = cluster.path("id").asText();
            String jobManager = null;
            if (await) {
                cluster = submission.awaitClusterRunning(id, Duration.ofSeconds(180));
                jobManager = new PlatformApi(settings).awaitJobManager(id, Duration.ofSeconds(60));
            }
            if (output.json()) {
                ObjectNode json = ((ObjectNode) cluster.deepCopy());
                json.put("jobManagerUrl", jobManager);
                Output.json(System.out, json);
            } else {
                System.out.println("cluster " + id + " created: " + describe(cluster.path("spec")) + "; " + cluster.path("status").asText());
                System.out.println(jobManager == null ? "its JobManager is starting: ./slipway clusters get " + id
                        : "JobManager (Flink web UI and REST): " + jobManager);
            }
            return SlipwayCli.OK;
        }
    }

    /** A cluster request as job-submission takes it (its validation names any field at fault). */
    static ObjectNode request(String name, ClusterMode mode, String flinkVersion, int jmMemory, double tmCpu, int tmMemory, int slots,
            int taskManagers, int warmPool, int maxTaskManagers, long idleTimeout, Map<String, String> flinkConfiguration) {
        ObjectNode request = Http.JSON.createObjectNode();
        request.put("name", name);
        request.put("mode", mode.name());
        request.put("flinkVersion", flinkVersion);
        request.putObject("jobManager").put("cpu", 0.5).put("memoryMb", jmMemory);
        request.putObject("taskManager").put("cpu", tmCpu).put("memoryMb", tmMemory);
        request.put("slotsPerTaskManager", slots);
        if (mode == ClusterMode.STATIC) {
            request.put("staticTaskManagers", taskManagers);
        } else {
            request.putObject("elastic").put("warmPool", warmPool).put("maxTaskManagers", maxTaskManagers).put("idleTimeoutSeconds", idleTimeout);
        }
        if (!flinkConfiguration.isEmpty()) {
            request.set("flinkConfiguration", Http.JSON.valueToTree(flinkConfiguration));
        }
        return request;
    }

    /** "ELASTIC, warm pool 0, at most 4 TaskManagers of 2 slots, idle timeout 20 s", from a spec as job-submission shows it. */
    static String describe(JsonNode spec) {
        if (spec.path("mode").asText().equals("STATIC")) {
            return "STATIC, " + spec.path("staticTaskManagers").asInt() + " TaskManagers of " + spec.path("slotsPerTaskManager").asInt()
                    + " slots";
        }
        JsonNode elastic = spec.path("elastic");
        return "ELASTIC, warm pool " + elastic.path("warmPool").asInt() + ", at most " + elastic.path("maxTaskManagers").asInt()
                + " TaskManagers of " + spec.path("slotsPerTaskManager").asInt() + " slots, idle timeout "
                + elastic.path("idleTimeoutSeconds").asLong() + " s";
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Your tenant's clusters (job-submission), with their TaskManagers as the resource-scheduler sees them.")
    static final class ListClusters implements Callable<Integer> {

        @CommandLine.Mixin
        Output.Flag output;

        @Override
        public Integer call() {
            Settings settings = Settings.load();
            List<Map<String, Object>> clusters = summaries(new SubmissionClient(settings), new PlatformApi(settings));
            if (output.json()) {
                Output.json(System.out, clusters);
            } else if (clusters.isEmpty()) {
                System.out.println("no clusters (./slipway clusters create <name>, or ./slipway demo)");
            } else {
                printSummaries(clusters, "");
            }
            return SlipwayCli.OK;
        }
    }

    /** One map per cluster of the tenant: id, mode, status, TaskManagers, pods, JobManager URL. */
    static List<Map<String, Object>> summaries(SubmissionClient submission, PlatformApi client) {
        List<Map<String, Object>> clusters = new ArrayList<>();
        for (JsonNode cluster : submission.clusters()) {
            String id = cluster.path("id").asText();
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("clusterId", id);
            summary.put("mode", cluster.path("spec").path("mode").asText(null));
            summary.put("state", cluster.path("status").asText() + SubmissionClient.reason(cluster));
            Optional<JsonNode> state = safeState(client, id);
            state.ifPresent(s -> {
                summary.put("liveTaskManagers", s.path("liveTaskManagers").asInt());
                summary.put("taskManagerLimit", s.path("taskManagerLimit").asInt());
            });
            // The scheduler's pods are the live view; job-submission's list shows none.
            List<Map<String, String>> pods = new ArrayList<>();
            for (JsonNode pod : state.map(s -> s.path("pods")).orElse(cluster.path("pods"))) {
                Map<String, String> p = new LinkedHashMap<>();
                p.put("name", pod.path("name").asText());
                p.put("role", pod.path("role").asText());
                p.put("status", pod.path("status").asText(pod.path("phase").asText()));
                pods.add(p);
            }
            summary.put("pods", pods);
            summary.put("jobManagerUrl", safeJobManager(client, id));
            clusters.add(summary);
        }
        return clusters;
    }

    private static Optional<JsonNode> safeState(PlatformApi client, String id) {
        try {
            return client.state(id);
        } catch (CliException schedulerDown) {
            return Optional.empty();
        }
    }

    private static String safeJobManager(PlatformApi client, String id) {
        try {
            return client.jobManagerUrl(id).orElse(null);
        } catch (CliException provisionerDown) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    static void printSummaries(List<Map<String, Object>> clusters, String indent) {
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> c : clusters) {
            List<Map<String, String>> pods = (List<Map<String, String>>) c.getOrDefault("pods", List.of());
            String podText = pods.isEmpty() ? "-" : String.join(", ", pods.stream()
                    .map(p -> p.get("name").substring(p.get("name").lastIndexOf('-', p.get("name").lastIndexOf('-') - 1) + 1) + " "
                            + p.get("status")).toList());
            rows.add(List.of(indent + c.get("clusterId"), String.valueOf(c.getOrDefault("mode", "-")), String.valueOf(c.get("state")),
                    c.containsKey("liveTaskManagers") ? c.get("liveTaskManagers") + "/" + c.get("taskManagerLimit") : "-",
                    String.valueOf(c.getOrDefault("jobManagerUrl", "-")), podText));
        }
        Output.table(System.out, List.of(indent + "CLUSTER", "MODE", "STATE", "TMS", "JOBMANAGER", "PODS"), rows);
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "A cluster: status, spec, TaskManagers, pods, open requests, JobManager URL.")
    static final class Get implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @CommandLine.Mixin
        Output.Flag output;

        @Override
        public Integer call() {
            requireClusterId(spec, cluster);
            Settings settings = Settings.load();
            JsonNode view = new SubmissionClient(settings).cluster(cluster);
            PlatformApi client = new PlatformApi(settings);
            Optional<JsonNode> scheduled = safeState(client, cluster);
            String jobManager = safeJobManager(client, cluster);
            if (output.json()) {
                ObjectNode json = ((ObjectNode) view.deepCopy());
                scheduled.ifPresent(state -> json.set("scheduler", state));
                json.put("jobManagerUrl", jobManager);
                Output.json(System.out, json);
                return SlipwayCli.OK;
            }
            System.out.println("cluster       " + cluster + " (" + view.path("name").asText() + ")");
            System.out.println("status        " + view.path("status").asText() + SubmissionClient.reason(view));
            System.out.println("spec          " + describe(view.path("spec")));
            System.out.println("JobManager    " + (jobManager == null ? "not running" : jobManager + " (Flink web UI and REST)"));
            if (scheduled.isEmpty()) {
                System.out.println("TaskManagers  (the resource-scheduler does not answer)");
                return SlipwayCli.OK;
            }
            JsonNode state = scheduled.get();
            System.out.println("health        " + Output.text(state.path("health"))
                    + (state.path("lastFailure").isNull() ? "" : " (last failure: " + state.path("lastFailure").asText() + ")")
                    + (state.path("backoffUntil").isNull() ? "" : ", backing off until " + Output.time(state.path("backoffUntil"))));
            System.out.println("TaskManagers  " + state.path("liveTaskManagers").asInt() + " live (" + state.path("warmTaskManagers").asInt()
                    + " warm), at most " + state.path("taskManagerLimit").asInt());
            System.out.println();
            Pods.print(state.path("pods"));
            if (!state.path("openRequests").isEmpty()) {
                System.out.println();
                List<List<String>> rows = new ArrayList<>();
                for (JsonNode request : state.path("openRequests")) {
                    rows.add(List.of(request.path("requestId").asText(), request.path("count").asText(), request.path("refused").asText(),
                            request.path("ended").asText(), Output.time(request.path("requestedAt"))));
                }
                Output.table(System.out, List.of("OPEN REQUEST", "COUNT", "REFUSED", "ENDED", "AT"), rows);
            }
            return SlipwayCli.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a cluster through job-submission: every pod of it goes.")
    static final class Delete implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @Option(names = "--force", description = "Also end the cluster's live jobs (otherwise a cluster with live jobs is not deleted).")
        boolean force;

        @Override
        public Integer call() {
            requireClusterId(spec, cluster);
            JsonNode deleted = new SubmissionClient(Settings.load()).deleteCluster(cluster, force);
            System.out.println("cluster " + cluster + " " + deleted.path("status").asText()
                    + (deleted.path("status").asText().equals("DELETED") ? "" : "; its pods are being stopped (./slipway clusters get " + cluster + ")"));
            return SlipwayCli.OK;
        }
    }

    @Command(name = "revoke-tokens", mixinStandardHelpOptions = true,
            description = {"Revoke a cluster's tokens (its reader token and its resource manager's), e.g. after one leaked: the "
                    + "services refuse the old ones within seconds, the running JobManager gets the new one (local pods), and no "
                    + "other cluster is touched. Prints the new reader token."})
    static final class RevokeTokens implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @Override
        public Integer call() {
            requireClusterId(spec, cluster);
            JsonNode revoked = new SubmissionClient(Settings.load()).revokeTokens(cluster);
            System.out.println("tokens of cluster " + cluster + " revoked; its reader token is now:");
            System.out.println(revoked.path("readerToken").asText());
            return SlipwayCli.OK;
        }
    }

    @Command(name = "decisions", mixinStandardHelpOptions = true, description = "The scheduler's decisions for a cluster with their reasons, oldest first.")
    static final class Decisions implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "The newest N decisions (default ${DEFAULT-VALUE}, at most 1000).")
        int limit;

        @CommandLine.Mixin
        Output.Flag output;

        @Override
        public Integer call() {
            requireClusterId(spec, cluster);
            if (limit < 1 || limit > 1000) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be 1..1000");
            }
            PlatformApi client = new PlatformApi(Settings.load());
            client.requireState(cluster);
            JsonNode decisions = client.decisions(cluster, limit);
            if (output.json()) {
                Output.json(System.out, decisions);
                return SlipwayCli.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (int i = decisions.size() - 1; i >= 0; i--) {
                JsonNode d = decisions.get(i);
                rows.add(List.of(Output.time(d.path("occurredAt")), d.path("type").asText(), Output.text(d.path("podName")),
                        d.path("reason").asText()));
            }
            if (rows.isEmpty()) {
                System.out.println("no decisions for " + cluster + " yet");
            } else {
                Output.table(System.out, List.of("TIME", "DECISION", "POD", "REASON"), rows);
            }
            return SlipwayCli.OK;
        }
    }

    @Command(name = "pods", mixinStandardHelpOptions = true, description = "A cluster's pods as the scheduler knows them (what Flink's resource manager sees).")
    static final class Pods implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @CommandLine.Mixin
        Output.Flag output;

        @Override
        public Integer call() {
            requireClusterId(spec, cluster);
            PlatformApi client = new PlatformApi(Settings.load());
            client.requireState(cluster);
            JsonNode pods = client.pods(cluster);
            if (output.json()) {
                Output.json(System.out, pods);
            } else {
                print(pods);
            }
            return SlipwayCli.OK;
        }

        static void print(JsonNode pods) {
            if (pods.isEmpty()) {
                System.out.println("no pods");
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode pod : pods) {
                rows.add(List.of(pod.path("name").asText(), Output.role(pod.path("role").asText()), pod.path("status").asText(),
                        Output.text(pod.path("requestId")), Output.time(pod.path("decidedAt")), Output.time(pod.path("readyAt")),
                        Output.text(pod.path("nodeName"))));
            }
            Output.table(System.out, List.of("POD", "ROLE", "STATUS", "REQUEST", "DECIDED", "READY", "NODE"), rows);
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replay a cluster's recorded events: are the published decisions reproduced exactly, what did the run cost; "
                    + "with a policy change, what the same demand would have cost under it (what-if).")
    static final class Replay implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @Option(names = "--warm-pool", description = "What-if: this warm pool.")
        Integer warmPool;

        @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "What-if: this idle timeout.")
        Long idleTimeout;

        @Option(names = "--max-task-managers", description = "What-if: this maximum.")
        Integer maxTaskManagers;

        @CommandLine.Mixin
        Output.Flag output;

        @Override
        public Integer call() {
            requireClusterId(spec, cluster);
            ObjectNode policy = Http.JSON.createObjectNode();
            if (warmPool != null) {
                policy.put("warmPool", warmPool);
            }
            if (idleTimeout != null) {
                policy.put("idleTimeoutSeconds", idleTimeout);
            }
            if (maxTaskManagers != null) {
                policy.put("maxTaskManagers", maxTaskManagers);
            }
            PlatformApi client = new PlatformApi(Settings.load());
            client.requireState(cluster);
            JsonNode answer = client.replay(cluster, policy.toString());
            if (output.json()) {
                Output.json(System.out, answer);
                return SlipwayCli.OK;
            }
            System.out.printf("replayed %d events of %s: %s%n", answer.path("events").asLong(), cluster,
                    answer.path("reproduced").asBoolean()
                            ? "reproduced all " + answer.path("decisionsPublished").asLong() + " published decisions exactly"
                            : "DIFFERENT from the " + answer.path("decisionsPublished").asLong() + " published decisions");
            for (JsonNode difference : answer.path("differences")) {
                System.out.println("  difference: " + difference);
            }
            System.out.println();
            System.out.println("the recorded run:");
            System.out.print(render(answer.path("recorded"), "  "));
            JsonNode whatIf = answer.path("whatIf");
            if (!whatIf.isMissingNode() && !whatIf.isNull()) {
                System.out.println();
                System.out.println("what if " + whatIf.path("policy").asText() + ":");
                whatIf.path("table").asText().lines().forEach(line -> System.out.println("  " + line));
            }
            return SlipwayCli.OK;
        }

        static String render(JsonNode report, String indent) {
            StringBuilder text = new StringBuilder();
            text.append(String.format("%sdecisions            %d %s%n", indent, sum(report.path("decisionsByType")), report.path("decisionsByType")));
            text.append(String.format("%spod-seconds          %,d%n", indent, report.path("podSeconds").asLong()));
            text.append(String.format("%sTaskManagers served  %d (%d from the warm pool)%n", indent,
                    report.path("taskManagersServed").asLong(), report.path("taskManagersFromWarm").asLong()));
            text.append(String.format("%srequest to ready     p50 %,d ms, p99 %,d ms%n", indent,
                    report.path("requestToReadyP50Millis").asLong(), report.path("requestToReadyP99Millis").asLong()));
            text.append(String.format("%srequests             %d (%d refused in part or whole)%n", indent,
                    report.path("requests").asLong(), report.path("requestsRefused").asLong()));
            return text.toString();
        }

        private static long sum(JsonNode byType) {
            long total = 0;
            for (JsonNode count : byType) {
                total += count.asLong();
            }
            return total;
        }
    }
}
