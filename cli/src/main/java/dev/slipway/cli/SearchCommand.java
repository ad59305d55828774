package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** search: the JobManager and TaskManager logs of a cluster, live and after its pods are gone (log-metric-indexer). */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Search a cluster's Flink logs, newest first: free text (Lucene syntax), level, pod. Logs of pods that are "
                + "gone stay searchable until retention ends.")
final class SearchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CLUSTER")
    String cluster;

    @Parameters(index = "1..*", paramLabel = "WORDS", description = "Words that must all appear (message or logger).")
    List<String> words = new ArrayList<>();

    @Option(names = "--level", paramLabel = "LEVELS", description = "Only these levels, comma-separated (e.g. WARN,ERROR).")
    String level;

    @Option(names = "--pod", description = "Only this pod.")
    String pod;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "At most this many records (default ${DEFAULT-VALUE}).")
    int limit;

    @CommandLine.Mixin
    Output.Flag output;

    @Override
    public Integer call() {
        ClusterCommands.requireClusterId(spec, cluster);
        StringBuilder query = new StringBuilder("&limit=").append(limit);
        if (!words.isEmpty()) {
            query.append("&q=").append(Http.encode(String.join(" ", words)));
        }
        if (level != null) {
            query.append("&level=").append(Http.encode(level));
        }
        if (pod != null) {
            query.append("&pod=").append(Http.encode(pod));
        }
        JsonNode answer = new PlatformApi(Settings.load()).logs(cluster, query.toString());
        if (output.json()) {
            Output.json(System.out, answer);
            return SlipwayCli.OK;
        }
        for (JsonNode record : answer.path("records")) {
            System.out.printf("%s %-5s %s %s%n", Output.time(record.path("occurredAt")), record.path("level").asText(),
                    record.path("podName").asText(), record.path("message").asText());
        }
        System.out.println(answer.path("total").asLong() + " records match; by level: " + answer.path("levels"));
        return SlipwayCli.OK;
    }
}
