package dev.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.Events;
import dev.slipway.contracts.SlipwayEvent;
import dev.slipway.contracts.auth.ClusterTokens;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The platform's APIs as the CLI uses them: the resource-scheduler (decisions, state, pods, replay),
 * the pod-provisioner (local pods, JobManager addresses), a cluster's Flink REST API, and, until
 * job-submission serves clusters, Kafka for publishing a cluster's spec.
 */
public final class PlatformClient {

    public static final Pattern CLUSTER_ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?");
    static final String SCHEDULER = "the resource-scheduler";
    static final String PROVISIONER = "the pod-provisioner";

    private final Settings settings;
    private final ClusterTokens tokens;

    public PlatformClient(Settings settings) {
        this.settings = settings;
        this.tokens = new ClusterTokens(settings.secret);
    }

    public Settings settings() {
        return settings;
    }

    // resource-scheduler

    /** Decisions with their reasons, newest first. */
    public JsonNode decisions(String cluster, int limit) {
        return Http.get(SCHEDULER, settings.schedulerUrl() + "/api/v1/clusters/" + cluster + "/decisions?limit=" + limit, null);
    }

    /** The scheduler's view of the cluster, or empty when it has seen no event of it. */
    public Optional<JsonNode> state(String cluster) {
        try {
            return Optional.of(Http.get(SCHEDULER, settings.schedulerUrl() + "/api/v1/clusters/" + cluster + "/state", null));
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

    /** The cluster's pods (the view Flink's resource manager gets; needs the cluster's token). */
    public JsonNode pods(String cluster) {
        return Http.get(SCHEDULER, settings.schedulerUrl() + "/api/v1/clusters/" + cluster + "/pods", tokens.issue(cluster));
    }

    public JsonNode replay(String cluster, String policyJson) {
        return Http.post(SCHEDULER, settings.schedulerUrl() + "/api/v1/clusters/" + cluster + "/replay", policyJson);
    }

    // pod-provisioner

    /** Local Flink processes, as {@code cluster/pod}. */
    public List<String> localPods() {
        List<String> pods = new ArrayList<>();
        Http.get(PROVISIONER, settings.provisionerUrl() + "/api/v1/local/pods", null).forEach(pod -> pods.add(pod.asText()));
        return pods;
    }

    /** Where the cluster's JobManager's REST API listens, if it runs. */
    public Optional<String> jobManagerUrl(String cluster) {
        try {
            JsonNode address = Http.get(PROVISIONER, settings.provisionerUrl() + "/api/v1/clusters/" + cluster + "/jobmanager", null);
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

    /** Uploads the jar and runs its entry class; answers the Flink job id. */
    public String submitJar(String jobManager, Path jar, String entryClass, int parallelism, List<String> args) {
        JsonNode uploaded = Http.upload("the JobManager", jobManager + "/jars/upload", "jarfile", jar, "application/x-java-archive");
        String filename = uploaded.path("filename").asText();
        String jarId = filename.substring(filename.lastIndexOf('/') + 1);
        var body = Http.JSON.createObjectNode();
        if (entryClass != null) {
            body.put("entryClass", entryClass);
        }
        if (parallelism > 0) {
            body.put("parallelism", parallelism);
        }
        body.set("programArgsList", Http.JSON.valueToTree(args));
        return Http.post("the JobManager", jobManager + "/jars/" + jarId + "/run", body.toString()).path("jobid").asText();
    }

    public JsonNode job(String jobManager, String jobId) {
        return Http.get("the JobManager", jobManager + "/jobs/" + jobId, null);
    }

    public JsonNode jobs(String jobManager) {
        return Http.get("the JobManager", jobManager + "/jobs/overview", null);
    }

    public void cancel(String jobManager, String jobId) {
        Http.patch("the JobManager", jobManager + "/jobs/" + jobId + "?mode=cancel");
    }

    public JsonNode taskManagers(String jobManager) {
        return Http.get("the JobManager", jobManager + "/taskmanagers", null);
    }

    // Cluster specs (Kafka, until job-submission serves clusters)

    public void createCluster(String cluster, ClusterSpec spec) {
        publish(new ClusterSpecCreated(Events.deterministicId(cluster, "created"), cluster, Instant.now(), 1, spec));
        try {
            Files.createDirectories(settings.clustersDir());
            Files.writeString(settings.clustersDir().resolve(cluster + ".json"), Http.JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(spec));
        } catch (IOException e) {
            throw new CliException("cluster " + cluster + " was created, but recording it under " + settings.clustersDir()
                    + " failed: " + e.getMessage());
        }
    }

    public void deleteCluster(String cluster) {
        publish(new ClusterDeleted(Events.deterministicId(cluster, "deleted"), cluster, Instant.now(), 2));
    }

    /**
     * Clusters this machine knows: those the CLI created (recorded under the state directory, since no
     * service lists clusters until job-submission does) and those with local Flink processes.
     */
    public List<String> knownClusters() {
        TreeSet<String> ids = new TreeSet<>();
        if (Files.isDirectory(settings.clustersDir())) {
            try (var files = Files.list(settings.clustersDir())) {
                files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".json"))
                        .forEach(name -> ids.add(name.substring(0, name.length() - ".json".length())));
            } catch (IOException e) {
                throw new CliException("cannot read " + settings.clustersDir() + ": " + e.getMessage());
            }
        }
        try {
            localPods().forEach(pod -> ids.add(pod.substring(0, pod.indexOf('/'))));
        } catch (Http.NotReachable provisionerDown) {
            // the recorded clusters are still worth listing
        }
        return List.copyOf(ids);
    }

    private void publish(SlipwayEvent event) {
        String bootstrap = settings.kafkaBootstrap();
        requireListening(bootstrap);
        Properties properties = KafkaClientProperties.idempotentProducer(bootstrap);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "slipway-cli");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(EventRecords.toRecord(event, EventSources.JOB_SUBMISSION, null)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new CliException("publishing to Kafka at " + bootstrap + " failed: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    private static void requireListening(String bootstrap) {
        String first = bootstrap.split(",")[0];
        int colon = first.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))), 2000);
        } catch (IOException | RuntimeException e) {
            throw new CliException("no Kafka at " + bootstrap + ": is the platform up? (./slipway up, ./slipway status)");
        }
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
