package dev.slipway.logagent;

import dev.slipway.logagent.config.AgentConfig;
import dev.slipway.logagent.config.AgentOptions;
import dev.slipway.logagent.ship.KafkaLogShipper;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -cp ... dev.slipway.logagent.LogAgentMain [agent.properties | --help]}: runs the node
 * log agent until it is stopped (SIGTERM stops it after the batch in flight).
 */
public final class LogAgentMain {

    private static final Logger LOG = LoggerFactory.getLogger(LogAgentMain.class);

    private LogAgentMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && ("--help".equals(args[0]) || "-h".equals(args[0]))) {
            System.out.println("Slipway node log agent. Configuration (system property, environment variable, "
                    + "properties file given as the first argument, default):\n");
            System.out.print(AgentOptions.markdownTable());
            return;
        }
        AgentConfig config = AgentConfig.load(System.getenv(), System.getProperties(), args.length > 0 ? Path.of(args[0]) : null);
        LOG.info("Log agent: logs under {}, Kafka at {}, offsets in {}, batches of up to {} records",
                config.logRoot(), config.bootstrapServers(), config.stateFile(), config.batchSize());
        LogAgent agent = new LogAgent(config, new KafkaLogShipper(config), Clock.systemUTC());
        Thread loop = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                agent.stop(15_000);
            } catch (InterruptedException e) {
                loop.interrupt();
            }
        }, "log-agent-shutdown"));
        agent.run();
    }
}
