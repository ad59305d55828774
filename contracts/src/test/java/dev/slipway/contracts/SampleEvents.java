package dev.slipway.contracts;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.FailurePolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.credentials.TokensRevoked;
import dev.slipway.contracts.decisions.ClusterHealth;
import dev.slipway.contracts.decisions.ClusterHealthChanged;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.Placement;
import dev.slipway.contracts.decisions.PodAssigned;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.decisions.RequestRefused;
import dev.slipway.contracts.jobs.JobKind;
import dev.slipway.contracts.jobs.JobStatus;
import dev.slipway.contracts.jobs.JobStatusChanged;
import dev.slipway.contracts.jobs.JobSubmitted;
import dev.slipway.contracts.jobs.SavepointCompleted;
import dev.slipway.contracts.resources.ClockTicked;
import dev.slipway.contracts.resources.ClusterDeleted;
import dev.slipway.contracts.resources.ClusterSpecChanged;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.resources.ResourcesReleased;
import dev.slipway.contracts.resources.ResourcesRequested;
import dev.slipway.contracts.telemetry.LogRecord;
import dev.slipway.contracts.telemetry.MetricSample;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated instance of every event type. */
final class SampleEvents {

    static final String CLUSTER = "c-orders";
    static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    static ClusterSpec elasticSpec() {
        return new ClusterSpec("orders", "team-checkout", ClusterMode.ELASTIC, "2.2.0",
                new ProcessSize(1, 1600, 0), 1,
                new ProcessSize(1, 1024, 2048), 2,
                0, new ElasticPolicy(2, 10, 300), 20,
                new FailurePolicy(120, 3, 10, 300), NetworkProfile.HOST_NETWORK,
                Map.of("pekko.ask.timeout", "30 s", "taskmanager.network.request-backoff.max", "30000"));
    }

    static List<SlipwayEvent> all() {
        ClusterSpec spec = elasticSpec();
        return List.of(
                new ClusterSpecCreated("e-1", CLUSTER, T0, 1, spec),
                new ClusterSpecChanged("e-2", CLUSTER, T0.plusSeconds(1), 2, spec),
                new ClusterDeleted("e-3", CLUSTER, T0.plusSeconds(900), 3),
                new ResourcesRequested("e-4", CLUSTER, T0.plusSeconds(10), "r-17", 2, new ProcessSize(1, 1024, 2048)),
                new ResourcesReleased("e-5", CLUSTER, T0.plusSeconds(400), "c-orders-tm-3", "idle for 30 s"),
                new PodCreated("e-6", CLUSTER, T0.plusSeconds(11), "c-orders-tm-3", PodRole.TASK_MANAGER, "r-17", "node-a"),
                new PodReady("e-7", CLUSTER, T0.plusSeconds(14), "c-orders-tm-3", PodRole.TASK_MANAGER, "node-a", "10.0.0.7:6122"),
                new PodFailed("e-8", CLUSTER, T0.plusSeconds(50), "c-orders-tm-4", "OOMKilled", 137, "container tm exceeded its memory limit"),
                new PodDeleted("e-9", CLUSTER, T0.plusSeconds(401), "c-orders-tm-3"),
                new ClockTicked("e-10", CLUSTER, T0.plusSeconds(30)),
                new TokensRevoked("e-11", CLUSTER, T0.plusSeconds(600), 2, "team-checkout: the reader token was pasted in a ticket"),
                new ProvisionPod("d-1", CLUSTER, T0.plusSeconds(10), "e-4",
                        "request r-17 needs 2 TaskManagers; 1 warm; provisioning 1", "c-orders-tm-3",
                        PodRole.TASK_MANAGER, "r-17", new ProcessSize(1, 1024, 2048), 1, spec,
                        new Placement(CLUSTER, Placement.HOSTNAME_TOPOLOGY_KEY, 1, Map.of("node-a", 1))),
                new DeletePod("d-2", CLUSTER, T0.plusSeconds(400), "e-5", "Flink released c-orders-tm-3 (idle for 30 s)",
                        "c-orders-tm-3", PodRole.TASK_MANAGER),
                new PodAssigned("d-5", CLUSTER, T0.plusSeconds(10), "e-4",
                        "request r-17 needs 2 TaskManagers; 1 warm; assigning c-orders-tm-1", "c-orders-tm-1", "r-17"),
                new RequestRefused("d-3", CLUSTER, T0.plusSeconds(10), "e-4",
                        "request r-18 asks for 4 TaskManagers; the cluster maximum is 10 and 8 exist; refusing 2",
                        "r-18", 4, 2),
                new ClusterHealthChanged("d-4", CLUSTER, T0.plusSeconds(50), "e-8",
                        "3 TaskManager failures in a row; backing off 40 s", ClusterHealth.DEGRADED, "OOMKilled: exit 137"),
                new JobSubmitted("j-1", CLUSTER, T0.plusSeconds(5), "job-42", 3, "orders-per-minute", JobKind.SQL, 4,
                        "file:///savepoints/job-42/sp-2"),
                new JobStatusChanged("j-2", CLUSTER, T0.plusSeconds(20), "job-42", 3, "a1b2c3d4e5f60718293a4b5c6d7e8f90",
                        JobStatus.RUNNING, null),
                new SavepointCompleted("j-3", CLUSTER, T0.plusSeconds(600), "job-42", 3, "a1b2c3d4e5f60718293a4b5c6d7e8f90",
                        "file:///savepoints/job-42/sp-3"),
                new LogRecord("l-1", CLUSTER, T0.plusSeconds(15), "c-orders-tm-3", PodRole.TASK_MANAGER, "job-42", "WARN",
                        "org.apache.flink.runtime.taskexecutor.TaskExecutor", "flink-pekko.actor.default-dispatcher-4",
                        "Slot request timed out\njava.util.concurrent.TimeoutException\n\tat Foo.bar(Foo.java:1)",
                        "taskmanager.log", 40960),
                new MetricSample("m-1", CLUSTER, T0.plusSeconds(60), "lastCheckpointDuration",
                        Map.of("job", "job-42", "pod", "c-orders-jm-0"), 1234.0));
    }

    private SampleEvents() {
    }
}
