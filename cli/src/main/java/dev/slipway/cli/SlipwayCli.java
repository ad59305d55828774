package dev.slipway.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code slipway}: the platform on this machine ({@code up}, {@code down}, {@code status},
 * {@code logs}, {@code demo}) and a client of its REST APIs (clusters, decisions, pods, replay, jobs).
 * Exit codes: 0 ok, 1 failure, 2 usage.
 */
@Command(name = "slipway", mixinStandardHelpOptions = true, versionProvider = SlipwayVersion.class,
        description = "Elastic Apache Flink: run the platform on this machine and talk to its APIs.",
        subcommands = {
                PlatformCommands.Up.class,
                PlatformCommands.Down.class,
                PlatformCommands.Status.class,
                PlatformCommands.Logs.class,
                DemoCommand.class,
                ClusterCommands.Clusters.class,
                ClusterCommands.Decisions.class,
                ClusterCommands.Pods.class,
                ClusterCommands.Replay.class,
                JobCommands.Jobs.class,
                SearchCommand.class,
                CommandLine.HelpCommand.class
        },
        footer = {"",
                "Environment (default):",
                "  SLIPWAY_STATE_DIR (.slipway)        SLIPWAY_KAFKA_PORT (9092)",
                "  SLIPWAY_POSTGRES_PORT (5432)        SLIPWAY_SCHEDULER_PORT (8081)",
                "  SLIPWAY_PROVISIONER_PORT (8082)     SLIPWAY_SUBMISSION_PORT (8083)",
                "  SLIPWAY_INDEXER_PORT (8084)         SLIPWAY_ZOOKEEPER_PORT (2181)",
                "  SLIPWAY_CLUSTER_TOKEN_SECRET (a development value)",
                "  SLIPWAY_TENANT_TOKEN (the local tenant's token that 'up' configures)",
                "Exit codes: 0 ok, 1 failure, 2 usage."})
public final class SlipwayCli implements Callable<Integer> {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return USAGE;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; answers the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new SlipwayCli());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            CommandLine failed = exception.getCommandLine();
            err.println("error: " + exception.getMessage());
            err.println("see '" + failed.getCommandSpec().qualifiedName() + " --help'");
            return USAGE;
        });
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (exception instanceof CliException) {
                err.println("error: " + exception.getMessage());
            } else {
                err.println("error: " + exception.getClass().getSimpleName() + ": " + exception.getMessage());
                if (Settings.env("SLIPWAY_DEBUG", null) != null) {
                    exception.printStackTrace(err);
                } else {
                    err.println("(SLIPWAY_DEBUG=1 shows the stack trace)");
                }
            }
            return FAILURE;
        });
        return commandLine.execute(args);
    }
}
