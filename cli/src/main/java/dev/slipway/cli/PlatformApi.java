package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's APIs as the CLI uses them besides job-submission's ({@link SubmissionClient}): the
 * resource-scheduler (decisions, state, pods, replay), the log-metric-indexer (log search), the pod-provisioner (local
 * pods, JobManager addresses), and a cluster's Flink REST API for what only Flink knows (tasks, accumulators). The
 * scheduler and the indexer are read with the cluster's reader token ({@link #readerToken}).
 */
public final class PlatformApi {

    static final String SCHEDULER = "the resource-scheduler";
    static final String PROVISIONER = "the pod-provisioner";
    static final String INDEXER = "the log-metric-indexer";

    private final Settings settings;
    private final Map<String, String> readerTokens = new HashMap<>();

    public PlatformApi(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * What reads the cluster on the scheduler, the provisioner and the indexer: {@code SLIPWAY_OPERATOR_TOKEN} when set; else
     * the cluster's reader token as job-submission shows it to this tenant (another tenant's cluster is job-submission's
     * 404); else, when no job-submission answers (as under {@code ./slipway scheduler}), the operator token of the platform
     * {@code ./slipway up} started on this machine; null when there is none. The CLI never signs a token itself: it does not
     * hold the platform's secret.
     */
    String readerToken(String cluster) {
        return readerTokens.computeIfAbsent(cluster, id -> {
            String operator = Settings.env("SLIPWAY_OPERATOR_TOKEN", "");
            if (!operator.isBlank()) {
                return operator;
            }
            try {
                String shown = new SubmissionClient(settings).cluster(id).path("readerToken").asText("");
                if (!shown.isEmpty()) {
                    return shown;
                }
            } catch (Http.NotReachable notThere) {
                // no job-submission here (./slipway scheduler): the local platform's operator token reads
            }
            // None at all: the call goes without one, and the service says what it wants (or that it is not there).
            return settings.localOperatorToken().orElse(null);
        });
    }

    // resource-scheduler

    /** Decisions with their reasons, newest first. */
    public JsonNode decisions(String cluster, int limit) {
        return Http.get(SCHEDULER, settings.schedulerUrl() + "/api/v1/clusters/" + cluster + "/decisions?limit=" + limit,
                readerToken(cluster));
    }

    /** The scheduler's view of the cluster, or empty when it has seen no event of it. */
    public Optional<JsonNode> state(String cluster) {
        try {
            return Optional.of(Http.get(SCHEDULER, settings.schedulerUrl() + "/api/v1/clusters/" + cluster + "/state",
                    readerToken(cluster)));
        } catch (Http.ApiError e) {
            if (e.status == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public JsonNode requireState(String cluster) {
        return state(cluster).orElseThrow(() -> new CliException("unknown cluster '" + cluster
                + "': the resource-scheduler has seen no event of it (./slipway clusters list)"));
    }

    /** The cluster's pods (the view Flink's resource manager gets), read with the cluster's reader token. */
    public JsonNode pods(String cluster) {
        return Http.get(SCHEDULER, settings.schedulerUrl() + "/api/v1/clusters/" + cluster + "/pods", readerToken(cluster));
    }

    public JsonNode replay(String cluster, String policyJson) {
        return Http.post(SCHEDULER, settings.schedulerUrl() + "/api/v1/clusters/" + cluster + "/replay", policyJson,
                readerToken(cluster));
    }

    // log-metric-indexer

    /** The cluster's log records, newest first; {@code query} adds parameters ({@code &q=..&limit=..}). */
    public JsonNode logs(String cluster, String query) {
        return Http.get(INDEXER, settings.indexerUrl() + "/api/v1/logs?clusterId=" + Http.encode(cluster)
                + query, readerToken(cluster));
    }

    // pod-provisioner

    /** Where the cluster's JobManager's REST API listens, if it runs. */
    public Optional<String> jobManagerUrl(String cluster) {
        try {
            JsonNode address = Http.get(PROVISIONER, settings.provisionerUrl() + "/api/v1/clusters/" + cluster + "/jobmanager",
                    readerToken(cluster));
            return Optional.of("http://" + address.path("host").asText() + ":" + address.path("restPort").asInt());
        } catch (Http.ApiError e) {
            if (e.status == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The JobManager's URL once its REST API answers; fails after {@code timeout}. */
    public String awaitJobManager(String cluster, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> url = jobManagerUrl(cluster);
            if (url.isPresent() && Http.status(url.get() + "/overview", Duration.ofSeconds(2)) == 200) {
                return url.get();
            }
            sleep(300);
        }
        throw new CliException("the JobManager of cluster " + cluster + " did not answer within " + timeout.toSeconds()
                + " s; see ./slipway pods " + cluster + " and ./slipway logs pod-provisioner");
    }

    public String requireJobManager(String cluster) {
        String url = jobManagerUrl(cluster).orElseThrow(() -> new CliException("no JobManager of cluster " + cluster
                + " runs on this machine (./slipway clusters get " + cluster + ")"));
        if (Http.status(url + "/overview", Duration.ofSeconds(3)) != 200) {
            throw new CliException("the JobManager of cluster " + cluster + " at " + url + " does not answer yet; try again shortly");
        }
        return url;
    }

    // Flink REST

    public JsonNode job(String jobManager, String jobId) {
        return Http.get("the JobManager", jobManager + "/jobs/" + jobId, null);
    }

    public JsonNode taskManagers(String jobManager) {
        return Http.get("the JobManager", jobManager + "/taskmanagers", null);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
