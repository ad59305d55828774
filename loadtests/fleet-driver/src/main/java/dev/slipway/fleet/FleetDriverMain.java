package dev.slipway.fleet;

import dev.slipway.flink.PlatformClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.util.concurrent.ScheduledExecutor;
import org.apache.flink.util.concurrent.ScheduledExecutorServiceAdapter;

/**
 * Simulated JobManagers for a fleet: one {@link SimulatedJobManager} per cluster, each the platform's real resource manager
 * driver speaking the real protocol (requests, releases, the pod stream, re-listing after a break, retries with back-off).
 * Prints its counters every 5 s and a {@code FLEET RESULT} line at the end, which the fleet benchmark reads.
 *
 * <pre>java -cp ... dev.slipway.fleet.FleetDriverMain --scheduler http://127.0.0.1:8081 --clusters-file clusters.txt
 *     [--task-managers 5] [--hold 20] [--quiet 10] [--duration 120] [--restart-at 40,80] [--restart-share 0.1]
 *     [--main-threads 2] [--seed 1] [--drain 60]</pre>
 */
public final class FleetDriverMain {

    private FleetDriverMain() {
    }

    public static void main(String[] args) throws Exception {
        FleetSettings settings = FleetSettings.parse(args);
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.newProcessSpecBuilder(new Configuration())
                .withCpuCores(1.0).withTotalProcessMemory(MemorySize.ofMebiBytes(1024)).build();
        List<ScheduledExecutorService> threads = new ArrayList<>();
        List<ScheduledExecutor> mainThreads = new ArrayList<>();
        for (int i = 0; i < settings.mainThreads(); i++) {
            int index = i;
            ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "jm-main-" + index));
            threads.add(thread);
            mainThreads.add(new ScheduledExecutorServiceAdapter(thread));
        }
        ExecutorService io = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "jm-io");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient http = PlatformClient.newHttpClient();
        FleetCounters counters = new FleetCounters();
        List<SimulatedJobManager> fleet = new ArrayList<>();
        List<Map.Entry<String, String>> clusters = new ArrayList<>(settings.clusterTokens().entrySet());
        clusters.sort(Map.Entry.comparingByKey());
        for (int i = 0; i < clusters.size(); i++) {
            fleet.add(new SimulatedJobManager(clusters.get(i).getKey(), clusters.get(i).getValue(),
                    settings.schedulerUrls().get(i % settings.schedulerUrls().size()), http, settings,
                    mainThreads.get(i % mainThreads.size()), io, counters, spec));
        }
        System.out.printf("fleet: %d JobManagers against %s, %d TaskManagers each per burst, for %s%n", fleet.size(),
                settings.schedulerUrls(), settings.taskManagers(), settings.duration());
        long started = System.nanoTime();
        fleet.forEach(SimulatedJobManager::start);

        Random random = new Random(settings.seed());
        List<Duration> restarts = new ArrayList<>(settings.restartAt());
        Collections.sort(restarts);
        long end = started + settings.duration().toNanos();
        long nextReport = started + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(100);
            long elapsed = System.nanoTime() - started;
            if (!restarts.isEmpty() && elapsed >= restarts.get(0).toNanos()) {
                restarts.remove(0);
                List<SimulatedJobManager> shuffled = new ArrayList<>(fleet);
                Collections.shuffle(shuffled, random);
                int count = (int) Math.round(fleet.size() * settings.restartShare());
                shuffled.subList(0, count).forEach(SimulatedJobManager::restart);
                System.out.printf("fleet: %d JobManagers restart at once%n", count);
            }
            if (System.nanoTime() >= nextReport) {
                nextReport += Duration.ofSeconds(5).toNanos();
                System.out.printf("fleet: %5.0f s  %s%n", elapsed / 1e9, counters.line());
            }
        }
        fleet.forEach(SimulatedJobManager::stop);
        long drainEnd = System.nanoTime() + settings.drain().toNanos();
        while (counters.outstanding() > 0 && System.nanoTime() < drainEnd) {
            Thread.sleep(200);
        }
        System.out.printf("FLEET RESULT clusters=%d %s%n", fleet.size(), counters.line());
        counters.failures().forEach((reason, count) -> System.out.printf("fleet: failed %d x %s%n", count, reason));
        fleet.forEach(SimulatedJobManager::close);
        for (ScheduledExecutorService thread : threads) {
            thread.shutdown();
            thread.awaitTermination(5, TimeUnit.SECONDS);
        }
        io.shutdownNow();
        System.exit(0);
    }
}
