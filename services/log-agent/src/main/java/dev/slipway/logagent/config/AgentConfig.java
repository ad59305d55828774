package dev.slipway.logagent.config;

import dev.slipway.logagent.config.AgentOptions.Option;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;

/** The log agent's settings, resolved from {@link AgentOptions}. */
public record AgentConfig(
        Path logRoot,
        String bootstrapServers,
        Path stateFile,
        int batchSize,
        Duration batchLinger,
        Duration pollInterval,
        Duration flushIdle,
        int maxRecordBytes,
        Duration sendTimeout,
        Duration retryInitialBackoff,
        Duration retryMaxBackoff,
        ZoneId timeZone,
        Properties kafka) {

    public AgentConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException(AgentOptions.BATCH_SIZE.key() + " must be at least 1, was " + batchSize);
        }
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException(AgentOptions.MAX_RECORD_BYTES.key() + " must be at least 1024, was " + maxRecordBytes);
        }
        kafka = kafka == null ? new Properties() : kafka;
    }

    /** Defaults for everything but the log root and the brokers (tests and embedding). */
    public static AgentConfig of(Path logRoot, String bootstrapServers) {
        return load(Map.of(), props(Map.of(AgentOptions.LOG_ROOT.key(), logRoot.toString(),
                AgentOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers)), null);
    }

    /**
     * Resolves every option: system property, else environment variable, else {@code file} (may be
     * null), else the default.
     */
    public static AgentConfig load(Map<String, String> environment, Properties systemProperties, Path file) {
        Properties fromFile = new Properties();
        if (file != null) {
            try (InputStream in = Files.newInputStream(file)) {
                fromFile.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the configuration file " + file, e);
            }
        }
        Resolver r = new Resolver(environment, systemProperties, fromFile);
        Path root = Path.of(r.get(AgentOptions.LOG_ROOT)).toAbsolutePath().normalize();
        String state = r.get(AgentOptions.STATE_FILE);
        String zone = r.get(AgentOptions.TIME_ZONE);
        Properties kafka = new Properties();
        String kafkaPrefix = AgentOptions.PREFIX + "kafka.";
        for (Properties source : new Properties[] {fromFile, systemProperties}) {
            source.stringPropertyNames().stream().filter(name -> name.startsWith(kafkaPrefix))
                    .forEach(name -> kafka.setProperty(name.substring(kafkaPrefix.length()), source.getProperty(name)));
        }
        return new AgentConfig(root,
                r.get(AgentOptions.BOOTSTRAP_SERVERS),
                state.isBlank() ? root.resolve(".log-agent.offsets") : Path.of(state).toAbsolutePath(),
                r.integer(AgentOptions.BATCH_SIZE),
                r.millis(AgentOptions.BATCH_LINGER),
                r.millis(AgentOptions.POLL_INTERVAL),
                r.millis(AgentOptions.FLUSH_IDLE),
                r.integer(AgentOptions.MAX_RECORD_BYTES),
                r.millis(AgentOptions.SEND_TIMEOUT),
                r.millis(AgentOptions.RETRY_INITIAL),
                r.millis(AgentOptions.RETRY_MAX),
                zone.isBlank() ? ZoneId.systemDefault() : ZoneId.of(zone),
                kafka);
    }

    /** The same settings with another value for one key (tests). */
    public AgentConfig with(Option option, String value) {
        Properties p = asProperties();
        p.setProperty(option.key(), value);
        return load(Map.of(), p, null);
    }

    /** These settings as system-property-style key/values, e.g. for a child process. */
    public Properties asProperties() {
        Properties p = new Properties();
        p.setProperty(AgentOptions.LOG_ROOT.key(), logRoot.toString());
        p.setProperty(AgentOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
        p.setProperty(AgentOptions.STATE_FILE.key(), stateFile.toString());
        p.setProperty(AgentOptions.BATCH_SIZE.key(), Integer.toString(batchSize));
        p.setProperty(AgentOptions.BATCH_LINGER.key(), Long.toString(batchLinger.toMillis()));
        p.setProperty(AgentOptions.POLL_INTERVAL.key(), Long.toString(pollInterval.toMillis()));
        p.setProperty(AgentOptions.FLUSH_IDLE.key(), Long.toString(flushIdle.toMillis()));
        p.setProperty(AgentOptions.MAX_RECORD_BYTES.key(), Integer.toString(maxRecordBytes));
        p.setProperty(AgentOptions.SEND_TIMEOUT.key(), Long.toString(sendTimeout.toMillis()));
        p.setProperty(AgentOptions.RETRY_INITIAL.key(), Long.toString(retryInitialBackoff.toMillis()));
        p.setProperty(AgentOptions.RETRY_MAX.key(), Long.toString(retryMaxBackoff.toMillis()));
        p.setProperty(AgentOptions.TIME_ZONE.key(), timeZone.getId());
        kafka.stringPropertyNames().forEach(name -> p.setProperty(AgentOptions.PREFIX + "kafka." + name, kafka.getProperty(name)));
        return p;
    }

    private static Properties props(Map<String, String> values) {
        Properties p = new Properties();
        p.putAll(values);
        return p;
    }

    private record Resolver(Map<String, String> environment, Properties system, Properties file) {

        String get(Option option) {
            String value = system.getProperty(option.key());
            if (value == null) {
                value = environment.get(option.environmentVariable());
            }
            if (value == null) {
                value = file.getProperty(option.key());
            }
            return value == null ? option.defaultValue() : value.trim();
        }

        int integer(Option option) {
            try {
                return Integer.parseInt(get(option));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option.key() + " must be a whole number, was '" + get(option) + "'", e);
            }
        }

        Duration millis(Option option) {
            try {
                long value = Long.parseLong(get(option));
                if (value < 0) {
                    throw new IllegalArgumentException(option.key() + " must not be negative, was " + value);
                }
                return Duration.ofMillis(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option.key() + " must be milliseconds, was '" + get(option) + "'", e);
            }
        }
    }
}
