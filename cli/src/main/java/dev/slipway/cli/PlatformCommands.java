package dev.slipway.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** up, down, status, logs: the platform's processes on this machine. */
final class PlatformCommands {

    private PlatformCommands() {
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Start Kafka, PostgreSQL, ZooKeeper and the services in the background (local Flink pods), wait until each is "
                    + "healthy, and print the URLs. State and logs live under $SLIPWAY_STATE_DIR (.slipway) and survive "
                    + "down/up. Services already running are left alone.",
                    "Ports: SLIPWAY_KAFKA_PORT (9092), SLIPWAY_POSTGRES_PORT (5432), SLIPWAY_ZOOKEEPER_PORT (2181), "
                            + "SLIPWAY_SCHEDULER_PORT (8081), "
                            + "SLIPWAY_PROVISIONER_PORT (8082), SLIPWAY_SUBMISSION_PORT (8083), SLIPWAY_INDEXER_PORT (8084)."})
    static final class Up implements Callable<Integer> {

        @Option(names = "--demo", description = "Run the demo once the platform is up.")
        boolean demo;

        @Override
        public Integer call() {
            Settings settings = Settings.load();
            PrintStream out = System.out;
            out.println("Starting Slipway (state in " + settings.shown(settings.stateDir) + ", logs in "
                    + settings.shown(settings.logsDir()) + ")");
            LocalPlatform platform = new LocalPlatform(settings, out);
            platform.up();
            printUrls(Settings.load(), platform, out);
            if (demo) {
                return new DemoCommand().call();
            }
            return SlipwayCli.OK;
        }

        static void printUrls(Settings settings, LocalPlatform platform, PrintStream out) {
            out.println();
            out.println("Slipway is up:");
            List<List<String>> rows = new ArrayList<>();
            for (LocalPlatform.ServiceStatus status : platform.status()) {
                if (status.pid() == null) {
                    continue;
                }
                if (status.name().equals(LocalPlatform.INFRA)) {
                    rows.add(List.of("  Kafka", settings.kafkaBootstrap(), ""));
                    rows.add(List.of("  PostgreSQL", settings.postgresUrl(), "user postgres, password postgres"));
                    continue;
                }
                if (status.name().equals(LocalPlatform.LOG_AGENT)) {
                    rows.add(List.of("  " + status.name(), status.url(), "ships the Flink pods' logs to slipway.logs.v1"));
                    continue;
                }
                String docs = "OpenAPI " + status.url() + "/q/openapi";
                if (Http.status(status.url() + "/q/swagger-ui/", Duration.ofSeconds(2)) == 200) {
                    docs += ", Swagger UI " + status.url() + "/q/swagger-ui";
                }
                rows.add(List.of("  " + status.name(), status.url(), docs));
            }
            platform.status().stream().filter(status -> status.name().equals(LocalPlatform.SUBMISSION) && status.pid() != null)
                    .findFirst().ifPresent(submission -> rows.add(List.of("  web console", submission.url() + "/console/",
                            "sign in with the tenant token (SLIPWAY_TENANT_TOKEN; here " + settings.tenantToken() + ")")));
            Output.rows(out, rows);
            out.println();
            out.println("Next: ./slipway demo | ./slipway status | ./slipway clusters create <name> | ./slipway down");
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop every process 'up' started, Flink JobManagers and TaskManagers included, and nothing else. "
                    + "State is kept: the next 'up' continues from it (delete $SLIPWAY_STATE_DIR for a clean start).")
    static final class Down implements Callable<Integer> {

        @Override
        public Integer call() {
            Settings settings = Settings.load();
            System.out.println("Stopping Slipway (state in " + settings.shown(settings.stateDir) + ")");
            LocalPlatform platform = new LocalPlatform(settings, System.out);
            platform.down();
            List<ProcessHandle> left = platform.leftovers(settings.stateDir);
            if (!left.isEmpty()) {
                throw new CliException(left.size() + " process(es) under " + settings.shown(settings.stateDir) + " still run: "
                        + left.stream().map(handle -> Long.toString(handle.pid())).toList());
            }
            System.out.println("Stopped; no process of this platform is left. State kept in " + settings.shown(settings.stateDir) + ".");
            return SlipwayCli.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each service (up/down, URL, pid) and the clusters this machine knows with their pods.")
    static final class Status implements Callable<Integer> {

        @CommandLine.Mixin
        Output.Flag output;

        @Override
        public Integer call() {
            Settings settings = Settings.load();
            LocalPlatform platform = new LocalPlatform(settings, System.out);
            List<LocalPlatform.ServiceStatus> services = platform.status();
            PlatformApi client = new PlatformApi(settings);
            boolean submissionUp = services.stream().anyMatch(s -> s.name().equals(LocalPlatform.SUBMISSION) && s.state().equals("up"));
            List<Map<String, Object>> clusters = submissionUp ? ClusterCommands.summaries(new SubmissionClient(settings), client) : List.of();
            if (output.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("stateDir", settings.stateDir.toString());
                json.put("services", services);
                json.put("clusters", clusters);
                Output.json(System.out, json);
            } else {
                System.out.println("Services (state in " + settings.shown(settings.stateDir) + "):");
                List<List<String>> rows = new ArrayList<>();
                for (LocalPlatform.ServiceStatus status : services) {
                    rows.add(List.of("  " + status.name(), status.state(), status.pid() == null ? "-" : status.pid().toString(),
                            status.url()));
                }
                Output.table(System.out, List.of("  SERVICE", "STATE", "PID", "URL"), rows);
                System.out.println();
                if (!submissionUp) {
                    System.out.println("Clusters: unknown while job-submission is down (./slipway up)");
                } else if (clusters.isEmpty()) {
                    System.out.println("Clusters: none yet (./slipway demo, or ./slipway clusters create <name>)");
                } else {
                    System.out.println("Clusters:");
                    ClusterCommands.printSummaries(clusters, "  ");
                }
            }
            boolean anyDown = services.stream().anyMatch(s -> !s.state().equals("up"));
            return anyDown ? SlipwayCli.FAILURE : SlipwayCli.OK;
        }
    }

    @Command(name = "logs", mixinStandardHelpOptions = true,
            description = "The tail of a service's log (infra, resource-scheduler, pod-provisioner, job-submission) or of a Flink "
                    + "pod's log (<cluster>/<pod>); without an argument, the last lines of every service's log.")
    static final class Logs implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(arity = "0..1", paramLabel = "SERVICE|CLUSTER/POD")
        String target;

        @Option(names = {"-n", "--lines"}, defaultValue = "50", description = "Lines to show (default ${DEFAULT-VALUE}).")
        int lines;

        @Option(names = {"-f", "--follow"}, description = "Keep printing what is appended (Ctrl-C ends).")
        boolean follow;

        @Override
        public Integer call() throws IOException {
            Settings settings = Settings.load();
            LocalPlatform platform = new LocalPlatform(settings, System.out);
            if (target == null) {
                if (follow) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--follow needs one service or pod");
                }
                for (String name : LocalPlatform.SERVICES) {
                    Path log = platform.log(name);
                    if (Files.exists(log)) {
                        System.out.println("==> " + settings.shown(log) + " <==");
                        System.out.println(LocalPlatform.tail(log, Math.min(lines, 10)));
                        System.out.println();
                    }
                }
                return SlipwayCli.OK;
            }
            Path log;
            if (target.contains("/")) {
                String[] parts = target.split("/", 2);
                log = settings.podsDir().resolve(parts[0]).resolve(parts[1]).resolve(parts[1] + ".log");
            } else if (LocalPlatform.SERVICES.contains(target)) {
                log = platform.log(target);
            } else {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown service '" + target + "'; one of "
                        + String.join(", ", LocalPlatform.SERVICES) + ", or <cluster>/<pod>");
            }
            if (!Files.exists(log)) {
                throw new CliException("no log at " + settings.shown(log) + " (has it been started? ./slipway status)");
            }
            System.out.println(LocalPlatform.tail(log, lines));
            if (follow) {
                follow(log);
            }
            return SlipwayCli.OK;
        }

        private static void follow(Path log) throws IOException {
            long position = Files.size(log);
            while (true) {
                long size = Files.size(log);
                if (size < position) {
                    position = 0;
                }
                if (size > position) {
                    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                        file.seek(position);
                        byte[] bytes = new byte[(int) Math.min(size - position, 1 << 20)];
                        file.readFully(bytes);
                        System.out.print(new String(bytes, StandardCharsets.UTF_8));
                        System.out.flush();
                        position += bytes.length;
                    }
                }
                PlatformApi.sleep(500);
            }
        }
    }

}
