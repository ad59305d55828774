package dev.slipway.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fleet does. Clusters come from a file of {@code <clusterId> <token>} lines: whoever created the clusters minted
 * their tokens, and this driver holds no secret, like a JobManager.
 *
 * @param schedulerUrls  resource-scheduler instances; the JobManagers are spread over them
 * @param taskManagers   TaskManagers each JobManager asks for in a burst of demand
 * @param hold           how long it keeps them before Flink's idle release
 * @param quiet          how long it waits, with none, before the next burst
 * @param restartAt      when a share of the JobManagers restart at once (a node-pool failure, an upgrade)
 * @param restartShare   that share, 0..1
 * @param mainThreads    threads that play the JobManagers' main threads, each shared by many
 */
record FleetSettings(List<String> schedulerUrls, Map<String, String> clusterTokens, int taskManagers, Duration hold, Duration quiet,
        Duration duration, List<Duration> restartAt, double restartShare, int mainThreads, long seed, Duration drain) {

    static FleetSettings parse(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        List<String> schedulers = List.of(require(options, "scheduler").split(","));
        Map<String, String> tokens = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(require(options, "clusters-file")))) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) {
                tokens.put(parts[0], parts[1]);
            }
        }
        List<Duration> restarts = new ArrayList<>();
        for (String at : options.getOrDefault("restart-at", "").split(",")) {
            if (!at.isBlank()) {
                restarts.add(seconds(at));
            }
        }
        return new FleetSettings(schedulers, Map.copyOf(tokens), Integer.parseInt(options.getOrDefault("task-managers", "5")),
                seconds(options.getOrDefault("hold", "20")), seconds(options.getOrDefault("quiet", "10")),
                seconds(options.getOrDefault("duration", "120")), List.copyOf(restarts),
                Double.parseDouble(options.getOrDefault("restart-share", "0.1")),
                Integer.parseInt(options.getOrDefault("main-threads", "2")), Long.parseLong(options.getOrDefault("seed", "1")),
                seconds(options.getOrDefault("drain", "60")));
    }

    private static Duration seconds(String value) {
        return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
