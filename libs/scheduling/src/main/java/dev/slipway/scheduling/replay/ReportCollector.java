package dev.slipway.scheduling.replay;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.PodAssigned;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.decisions.RequestRefused;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.resources.ResourcesRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Watches events and the decisions they caused, and adds up a {@link ReplayReport}. A requested
 * TaskManager is answered when its pod is ready (served), when it is refused, or when its pod goes
 * before it is ready (the request ends with it and Flink asks again). {@code PodAssigned} decisions,
 * which the decider no longer makes, are still counted as serving, so older recordings replay.
 */
public final class ReportCollector {

    private long events;
    private final Map<String, Long> decisionsByType = new TreeMap<>();
    private final Map<String, Instant> podStarted = new HashMap<>();
    private long podMillis;
    private final Map<String, RequestTally> requests = new HashMap<>();
    private final Map<String, String> podRequest = new HashMap<>();
    private final Set<String> readyPods = new HashSet<>();
    private final Set<String> servedPods = new HashSet<>();
    private final Set<String> refusedRequests = new HashSet<>();
    private long taskManagersRefused;
    private long taskManagersFromWarm;
    private long[] latencies = new long[1024];
    private int latencyCount;
    private Instant last = Instant.EPOCH;

    private static final class RequestTally {
        final Instant at;
        final int count;
        int refused;
        int served;
        /** Slots whose pod went before it was ready. */
        int lost;

        RequestTally(Instant at, int count) {
            this.at = at;
            this.count = count;
        }
    }

    public void observe(ResourceEvent event, Iterable<Decision> decisions) {
        events++;
        if (event.occurredAt().isAfter(last)) {
            last = event.occurredAt();
        }
        String cluster = event.clusterId();
        if (event instanceof ResourcesRequested requested) {
            requests.putIfAbsent(key(cluster, requested.requestId()), new RequestTally(requested.occurredAt(), requested.count()));
        } else if (event instanceof PodCreated created) {
            podStarted.putIfAbsent(key(cluster, created.podName()), created.occurredAt());
        } else if (event instanceof PodReady ready) {
            String pod = key(cluster, ready.podName());
            if (readyPods.add(pod)) {
                String request = podRequest.get(pod);
                if (request != null) {
                    served(pod, request, ready.occurredAt());
                }
            }
        } else if (event instanceof PodFailed failed) {
            podGone(key(cluster, failed.podName()), failed.occurredAt());
        } else if (event instanceof PodDeleted deleted) {
            podGone(key(cluster, deleted.podName()), deleted.occurredAt());
            endedBeforeReady(key(cluster, deleted.podName()));
        }
        for (Decision decision : decisions) {
            decisionsByType.merge(decision.getClass().getSimpleName(), 1L, Long::sum);
            if (decision instanceof ProvisionPod provision && provision.requestId() != null) {
                podRequest.put(key(cluster, provision.podName()), key(cluster, provision.requestId()));
            } else if (decision instanceof DeletePod delete) {
                endedBeforeReady(key(cluster, delete.podName()));
            } else if (decision instanceof PodAssigned assigned) {
                String pod = key(cluster, assigned.podName());
                String request = key(cluster, assigned.requestId());
                podRequest.put(pod, request);
                if (readyPods.contains(pod)) {
                    served(pod, request, assigned.occurredAt());
                }
            } else if (decision instanceof RequestRefused refused) {
                String request = key(cluster, refused.requestId());
                refusedRequests.add(request);
                taskManagersRefused += refused.refused();
                RequestTally tally = requests.get(request);
                if (tally != null) {
                    tally.refused += refused.refused();
                }
            }
        }
    }

    /**
     * A simulated Flink took a warm TaskManager for its demand, which was ready {@code waitMillis}
     * after the demand (0 if it was ready already). A trace does not show this: Flink asks nobody.
     */
    void tookWarm(long waitMillis) {
        taskManagersFromWarm++;
        sample(waitMillis);
    }

    public ReplayReport report() {
        long openMillis = 0;
        for (Instant started : podStarted.values()) {
            openMillis += Math.max(0, Duration.between(started, last).toMillis());
        }
        long unanswered = 0;
        for (RequestTally tally : requests.values()) {
            unanswered += Math.max(0, tally.count - tally.refused - tally.served - tally.lost);
        }
        long[] sample = Arrays.copyOf(latencies, latencyCount);
        long mean = latencyCount == 0 ? 0 : Arrays.stream(sample).sum() / latencyCount;
        return new ReplayReport(events, new TreeMap<>(decisionsByType), (podMillis + openMillis) / 1000, latencyCount,
                taskManagersFromWarm, mean,
                Percentiles.of(sample, 50), Percentiles.of(sample, 99), requests.size(), refusedRequests.size(),
                taskManagersRefused, unanswered);
    }

    private void served(String pod, String request, Instant at) {
        if (!servedPods.add(pod + "|" + request)) {
            return;
        }
        RequestTally tally = requests.get(request);
        if (tally == null) {
            return;
        }
        tally.served++;
        sample(Duration.between(tally.at, at).toMillis());
    }

    private void sample(long millis) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencies.length * 2);
        }
        latencies[latencyCount++] = Math.max(0, millis);
    }

    /** A pod that served a request went (deleted or gone) before it was ready: that slot of the request ended. */
    private void endedBeforeReady(String pod) {
        if (readyPods.contains(pod)) {
            return;
        }
        String request = podRequest.remove(pod);
        RequestTally tally = request == null ? null : requests.get(request);
        if (tally != null) {
            tally.lost++;
        }
    }

    private void podGone(String pod, Instant at) {
        Instant started = podStarted.remove(pod);
        if (started != null) {
            podMillis += Math.max(0, Duration.between(started, at).toMillis());
        }
    }

    private static String key(String cluster, String id) {
        return cluster + '|' + id;
    }
}
