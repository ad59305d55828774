package dev.slipway.logagent.config;

import java.util.List;

/**
 * Every configuration key of the log agent, with its default and what it means. A key is read from
 * the system property of that name, else from the environment variable of the same name upper-cased
 * with dots and dashes as underscores ({@code slipway.log-agent.log-root} is
 * {@code SLIPWAY_LOG_AGENT_LOG_ROOT}), else from the properties file given as the first argument, else
 * the default. {@code java ... LogAgentMain --help} prints this table.
 */
public final class AgentOptions {

    /** One configuration key. A null default means the key is required. */
    public record Option(String key, String defaultValue, String description) {

        public String environmentVariable() {
            return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    public static final String PREFIX = "slipway.log-agent.";

    public static final Option LOG_ROOT = new Option(PREFIX + "log-root", ".slipway/pods",
            "Directory of the pods' log files, laid out <log-root>/<cluster>/<pod>/<pod>.log (the pod-provisioner's "
                    + "slipway.provisioner.local.root locally, the hostPath of the pods' logs on Kubernetes)");
    public static final Option BOOTSTRAP_SERVERS = new Option(PREFIX + "bootstrap-servers", "127.0.0.1:9092",
            "Kafka bootstrap servers");
    public static final Option STATE_FILE = new Option(PREFIX + "state-file", "",
            "File of the acknowledged offsets, rewritten atomically after every acknowledged batch; "
                    + "empty means <log-root>/.log-agent.offsets");
    public static final Option BATCH_SIZE = new Option(PREFIX + "batch-size", "1000",
            "Most log records in one batch; a batch is shipped and acknowledged before the next is read");
    public static final Option BATCH_LINGER = new Option(PREFIX + "batch-linger-ms", "50",
            "How long a batch that is not full waits for more records before it is shipped");
    public static final Option POLL_INTERVAL = new Option(PREFIX + "poll-interval-ms", "200",
            "How often the pod directories are listed and idle files polled for new lines");
    public static final Option FLUSH_IDLE = new Option(PREFIX + "flush-idle-ms", "500",
            "How long the last record of a file that is still written waits for continuation lines "
                    + "(a stack trace) before it is shipped as complete");
    public static final Option MAX_RECORD_BYTES = new Option(PREFIX + "max-record-bytes", "262144",
            "Longest record (a line with its continuation lines); a longer one is cut, and the rest starts a new record");
    public static final Option SEND_TIMEOUT = new Option(PREFIX + "send-timeout-ms", "30000",
            "How long one attempt to ship a batch may take (the producer's delivery.timeout.ms) before it is retried");
    public static final Option RETRY_INITIAL = new Option(PREFIX + "retry-initial-backoff-ms", "200",
            "Pause after the first failed attempt to ship a batch; it doubles with every further failure");
    public static final Option RETRY_MAX = new Option(PREFIX + "retry-max-backoff-ms", "5000",
            "Longest pause between attempts to ship a batch");
    public static final Option TIME_ZONE = new Option(PREFIX + "time-zone", "",
            "Zone of the timestamps in the log files (Flink writes local time); empty means the agent's default zone");
    public static final Option KAFKA = new Option(PREFIX + "kafka.*", "",
            "Any Kafka producer setting, passed through (for example slipway.log-agent.kafka.compression.type=lz4 "
                    + "or security settings); system properties and the file only");

    public static final List<Option> ALL = List.of(LOG_ROOT, BOOTSTRAP_SERVERS, STATE_FILE, BATCH_SIZE, BATCH_LINGER,
            POLL_INTERVAL, FLUSH_IDLE, MAX_RECORD_BYTES, SEND_TIMEOUT, RETRY_INITIAL, RETRY_MAX, TIME_ZONE, KAFKA);

    private AgentOptions() {
    }

    /** The options as a Markdown table, for the README and {@code --help}. */
    public static String markdownTable() {
        StringBuilder out = new StringBuilder("| key (environment variable) | default | what |\n|---|---|---|\n");
        for (Option option : ALL) {
            out.append("| `").append(option.key()).append("` (`").append(option.environmentVariable()).append("`) | ")
                    .append(option.defaultValue().isEmpty() ? "-" : "`" + option.defaultValue() + "`").append(" | ")
                    .append(option.description()).append(" |\n");
        }
        return out.toString();
    }
}
