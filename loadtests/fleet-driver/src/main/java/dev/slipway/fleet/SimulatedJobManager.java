package dev.slipway.fleet;

import dev.slipway.flink.ClusterCredential;
import dev.slipway.flink.PlatformClient;
import dev.slipway.flink.SlipwayOptions;
import dev.slipway.flink.SlipwayResourceManagerDriver;
import dev.slipway.flink.SlipwayWorker;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.resourcemanager.active.ResourceEventHandler;
import org.apache.flink.util.concurrent.ScheduledExecutor;

/**
 * One JobManager of the fleet: the platform's own resource manager driver, as Flink runs it, with Flink's slot demand played
 * by a loop: ask for TaskManagers, keep them for a while, release them, stay quiet, again. A restart replaces the driver by a
 * new attempt, which recovers the pods of the last one from the platform, as after a JobManager failover. Everything runs on
 * the JobManager's main thread (shared by many JobManagers, as Flink's RPC threads would be), never blocked on the network.
 */
final class SimulatedJobManager {

    private final String clusterId;
    private final String token;
    private final String schedulerUrl;
    private final HttpClient http;
    private final FleetSettings settings;
    private final ScheduledExecutor mainThread;
    private final Executor io;
    private final FleetCounters counters;
    private final TaskExecutorProcessSpec spec;
    private final Configuration configuration = new Configuration();
    /** Workers Flink holds: served to its requests or recovered, until it releases them. */
    private final Set<SlipwayWorker> held = new HashSet<>();
    private SlipwayResourceManagerDriver driver;
    private int attempt;
    private int outstanding;
    private boolean stopped;

    SimulatedJobManager(String clusterId, String token, String schedulerUrl, HttpClient http, FleetSettings settings, ScheduledExecutor mainThread,
            Executor io, FleetCounters counters, TaskExecutorProcessSpec spec) {
        this.clusterId = clusterId;
        this.token = token;
        this.schedulerUrl = schedulerUrl;
        this.http = http;
        this.settings = settings;
        this.mainThread = mainThread;
        this.io = io;
        this.counters = counters;
        this.spec = spec;
        configuration.set(SlipwayOptions.RETRY_MAX_BACKOFF, Duration.ofSeconds(5));
    }

    /** Starts the first attempt; its first demand follows at once. */
    void start() {
        mainThread.execute(() -> startAttempt(0));
    }

    /** A JobManager failover: the new attempt recovers what the platform runs for the cluster. */
    void restart() {
        mainThread.execute(() -> {
            if (stopped) {
                return;
            }
            counters.restarts.incrementAndGet();
            counters.abandonedByRestart.addAndGet(outstanding);
            outstanding = 0;
            held.clear();
            driver.terminate();
            startAttempt(settings.quiet().toMillis() / 2);
        });
    }

    /** No new demand from now on; requests under way are still counted when they are answered. */
    void stop() {
        mainThread.execute(() -> stopped = true);
    }

    void close() {
        mainThread.execute(() -> {
            stopped = true;
            if (driver != null) {
                driver.terminate();
            }
        });
    }

    private void startAttempt(long demandAfterMillis) {
        int thisAttempt = ++attempt;
        SlipwayResourceManagerDriver next = new SlipwayResourceManagerDriver(configuration,
                new PlatformClient(http, schedulerUrl, clusterId, ClusterCredential.fixed(token)));
        driver = next;
        // Initializing lists the cluster's pods and waits for the answer: on the io pool, not the shared main thread.
        io.execute(() -> {
            try {
                next.initialize(new Events(thisAttempt), mainThread, io, Set::of);
            } catch (Exception e) {
                counters.failure("initialize: " + e.getMessage());
            }
            mainThread.schedule(() -> demand(thisAttempt), demandAfterMillis, TimeUnit.MILLISECONDS);
        });
    }

    private void demand(int forAttempt) {
        if (stopped || forAttempt != attempt) {
            return;
        }
        int wanted = settings.taskManagers() - held.size();
        if (wanted <= 0) {
            mainThread.schedule(() -> release(forAttempt), settings.hold().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        outstanding += wanted;
        for (int i = 0; i < wanted; i++) {
            long asked = System.nanoTime();
            counters.requested.incrementAndGet();
            driver.requestResource(spec).whenComplete((worker, failure) -> mainThread.execute(() -> {
                if (forAttempt != attempt) {
                    // Counted as abandoned when the attempt ended.
                    return;
                }
                outstanding--;
                if (failure != null) {
                    counters.failure(failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
                } else {
                    counters.served.incrementAndGet();
                    counters.latency.record((System.nanoTime() - asked) / 1000);
                    held.add(worker);
                }
                if (outstanding == 0) {
                    mainThread.schedule(() -> release(forAttempt), settings.hold().toMillis(), TimeUnit.MILLISECONDS);
                }
            }));
        }
    }

    private void release(int forAttempt) {
        if (forAttempt != attempt) {
            return;
        }
        for (SlipwayWorker worker : List.copyOf(held)) {
            driver.releaseResource(worker);
            counters.released.incrementAndGet();
        }
        held.clear();
        if (!stopped) {
            mainThread.schedule(() -> demand(forAttempt), settings.quiet().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Flink's side of the driver's callbacks, for one attempt. */
    private final class Events implements ResourceEventHandler<SlipwayWorker> {

        private final int forAttempt;

        Events(int forAttempt) {
            this.forAttempt = forAttempt;
        }

        @Override
        public void onPreviousAttemptWorkersRecovered(Collection<SlipwayWorker> recoveredWorkers) {
            mainThread.execute(() -> {
                if (forAttempt == attempt) {
                    counters.recovered.addAndGet(recoveredWorkers.size());
                    held.addAll(recoveredWorkers);
                }
            });
        }

        @Override
        public void onWorkerTerminated(ResourceID resourceId, String diagnostics) {
            mainThread.execute(() -> {
                if (forAttempt == attempt && held.remove(new SlipwayWorker(resourceId.getResourceIdString()))) {
                    counters.terminated.incrementAndGet();
                }
            });
        }

        @Override
        public void onError(Throwable exception) {
            counters.failure("driver error: " + exception.getMessage());
        }
    }
}
