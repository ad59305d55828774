package dev.slipway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.ElasticPolicy;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.contracts.cluster.ProcessSize;
import dev.slipway.contracts.decisions.ProvisionPod;
import dev.slipway.contracts.resources.PodRole;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlinkProcessConfigurationTest {

    private static final JobManagerAddress JOB_MANAGER = new JobManagerAddress("orders-jobmanager", 6123, 8081);
    private static final PlatformAccess PLATFORM = new PlatformAccess("http://scheduler:8081", "slw1.token");
    private static final PlatformAccess WITH_METRICS = new PlatformAccess("http://scheduler:8081", "slw1.token",
            new MetricsShipping("kafka:9092", Duration.ofSeconds(15)));

    static ClusterSpec spec(ClusterMode mode, String version, NetworkProfile network, Map<String, String> userConf) {
        return new ClusterSpec("orders", "team-a", mode, version, new ProcessSize(1, 768, 0), 1, new ProcessSize(1, 1024, 0),
                2, mode == ClusterMode.STATIC ? 2 : 0, mode == ClusterMode.ELASTIC ? new ElasticPolicy(1, 4, 45) : null, 0,
                null, network, userConf);
    }

    static ProvisionPod pod(ClusterSpec spec, PodRole role, String name) {
        return new ProvisionPod("e-1", "orders", Instant.EPOCH, "c-1", "test", name, role,
                role == PodRole.TASK_MANAGER ? "r-1" : null, role == PodRole.TASK_MANAGER ? spec.taskManager() : spec.jobManager(),
                1, spec, null);
    }

    @Test
    void taskManagerIsNamedByItsPodAndSizedBySpec() {
        ClusterSpec spec = spec(ClusterMode.ELASTIC, "2.2.0", NetworkProfile.POD_NETWORK, Map.of());
        Map<String, String> conf = FlinkProcessConfiguration.of(pod(spec, PodRole.TASK_MANAGER, "orders-tm-3"), JOB_MANAGER, PLATFORM);

        assertThat(conf).containsEntry("taskmanager.resource-id", "orders-tm-3")
                .containsEntry("taskmanager.numberOfTaskSlots", "2")
                .containsEntry("taskmanager.memory.process.size", "1024m")
                .containsEntry("jobmanager.rpc.address", "orders-jobmanager")
                .containsEntry("taskmanager.load-balance.mode", "SLOTS")
                .doesNotContainKeys(FlinkProcessConfiguration.CLUSTER_TOKEN, "pekko.ask.timeout");
        assertThat(FlinkProcessConfiguration.mainClass(pod(spec, PodRole.TASK_MANAGER, "orders-tm-3")))
                .isEqualTo(FlinkProcessConfiguration.TASK_MANAGER_MAIN);
    }

    @Test
    void elasticJobManagerGetsTheResourceManagersAccessAndIdleTimeout() {
        ClusterSpec spec = spec(ClusterMode.ELASTIC, "2.2.0", NetworkProfile.POD_NETWORK, Map.of());
        ProvisionPod jobManager = pod(spec, PodRole.JOB_MANAGER, "orders-jm-0");
        Map<String, String> conf = FlinkProcessConfiguration.of(jobManager, JOB_MANAGER, PLATFORM);

        assertThat(conf).containsEntry(FlinkProcessConfiguration.CLUSTER_ID, "orders")
                .containsEntry(FlinkProcessConfiguration.SCHEDULER_URL, "http://scheduler:8081")
                .containsEntry(FlinkProcessConfiguration.CLUSTER_TOKEN, "slw1.token")
                .containsEntry("resourcemanager.taskmanager-timeout", "45000 ms")
                .containsEntry("slotmanager.number-of-slots.min", "2")
                .containsEntry("slotmanager.number-of-slots.max", "8")
                .doesNotContainKey("taskmanager.resource-id");
        assertThat(FlinkProcessConfiguration.mainClass(jobManager)).isEqualTo(FlinkProcessConfiguration.ELASTIC_ENTRYPOINT);
    }

    @Test
    void staticJobManagerRunsFlinksStandaloneEntrypointWithoutPlatformAccess() {
        ClusterSpec spec = spec(ClusterMode.STATIC, "2.2.0", NetworkProfile.POD_NETWORK, Map.of());
        ProvisionPod jobManager = pod(spec, PodRole.JOB_MANAGER, "orders-jm-0");

        assertThat(FlinkProcessConfiguration.of(jobManager, JOB_MANAGER, PLATFORM)).doesNotContainKey(FlinkProcessConfiguration.CLUSTER_TOKEN);
        assertThat(FlinkProcessConfiguration.mainClass(jobManager)).isEqualTo(FlinkProcessConfiguration.STATIC_ENTRYPOINT);
    }

    @Test
    void userKeysSitUnderneathAndNeverOverridePlatformKeys() {
        ClusterSpec spec = spec(ClusterMode.ELASTIC, "2.2.0", NetworkProfile.POD_NETWORK,
                Map.of("taskmanager.resource-id", "mine", "taskmanager.numberOfTaskSlots", "8", "state.backend.type", "rocksdb",
                        "taskmanager.memory.managed.fraction", "0.3"));
        Map<String, String> conf = FlinkProcessConfiguration.of(pod(spec, PodRole.TASK_MANAGER, "orders-tm-0"), JOB_MANAGER, PLATFORM);

        assertThat(conf).containsEntry("taskmanager.resource-id", "orders-tm-0")
                .containsEntry("taskmanager.numberOfTaskSlots", "2")
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("taskmanager.memory.managed.fraction", "0.3");
    }

    @Test
    void hostNetworkRaisesTimeoutsAndFlink120SpreadsSlotsWithTheSameKey() {
        ClusterSpec spec = spec(ClusterMode.ELASTIC, "1.20.3", NetworkProfile.HOST_NETWORK, Map.of());
        Map<String, String> conf = FlinkProcessConfiguration.of(pod(spec, PodRole.TASK_MANAGER, "orders-tm-0"), JOB_MANAGER, PLATFORM);

        assertThat(conf).containsEntry("pekko.ask.timeout", "60 s")
                .containsEntry("taskmanager.network.request-backoff.max", "60000")
                .containsEntry("taskmanager.load-balance.mode", "SLOTS")
                .doesNotContainKey("cluster.evenly-spread-out-slots");
    }

    @Test
    void everyJobManagerAndTaskManagerShipsItsMetricsUnderItsClusterAndPodName() {
        for (ClusterMode mode : ClusterMode.values()) {
            ClusterSpec spec = spec(mode, "2.2.0", NetworkProfile.POD_NETWORK, Map.of());
            for (ProvisionPod pod : new ProvisionPod[] {pod(spec, PodRole.JOB_MANAGER, "orders-jm-0"),
                    pod(spec, PodRole.TASK_MANAGER, "orders-tm-1")}) {
                assertThat(FlinkProcessConfiguration.of(pod, JOB_MANAGER, WITH_METRICS))
                        .containsEntry("metrics.reporter.slipway.factory.class", "dev.slipway.flink.metrics.SlipwayMetricReporterFactory")
                        .containsEntry("metrics.reporter.slipway.bootstrap-servers", "kafka:9092")
                        .containsEntry("metrics.reporter.slipway.cluster-id", "orders")
                        .containsEntry("metrics.reporter.slipway.pod", pod.podName())
                        .containsEntry("metrics.reporter.slipway.interval", "15000 ms")
                        .doesNotContainKey("metrics.reporters");
            }
        }
    }

    @Test
    void aUserMayChangeTheReportIntervalAndAddReportersButNotWhereSamplesGo() {
        ClusterSpec spec = spec(ClusterMode.STATIC, "2.2.0", NetworkProfile.POD_NETWORK, Map.of(
                "metrics.reporter.slipway.interval", "2 s",
                "metrics.reporter.slipway.bootstrap-servers", "elsewhere:9092",
                "metrics.reporter.slipway.cluster-id", "someone-else",
                "metrics.reporter.slipway.factory.class", "my.Factory",
                "metrics.reporters", "prom"));
        Map<String, String> conf = FlinkProcessConfiguration.of(pod(spec, PodRole.TASK_MANAGER, "orders-tm-0"), JOB_MANAGER, WITH_METRICS);

        assertThat(conf).containsEntry("metrics.reporter.slipway.interval", "2 s")
                .containsEntry("metrics.reporter.slipway.bootstrap-servers", "kafka:9092")
                .containsEntry("metrics.reporter.slipway.cluster-id", "orders")
                .containsEntry("metrics.reporter.slipway.factory.class", "dev.slipway.flink.metrics.SlipwayMetricReporterFactory")
                .containsEntry("metrics.reporters", "prom,slipway");
        assertThat(FlinkProcessConfiguration.PLATFORM_KEYS).contains("metrics.reporter.slipway.bootstrap-servers",
                "metrics.reporter.slipway.cluster-id", "metrics.reporter.slipway.pod", "metrics.reporter.slipway.factory.class")
                .doesNotContain("metrics.reporter.slipway.interval", "metrics.reporters");
    }

    @Test
    void aReporterListThatNamesThePlatformsReporterStaysAsItIs() {
        assertThat(MetricsShipping.withPlatformReporter("prom, slipway")).isEqualTo("prom, slipway");
        assertThat(MetricsShipping.withPlatformReporter(null)).isNull();
    }

    @Test
    void withoutMetricShippingNoReporterIsConfigured() {
        ClusterSpec spec = spec(ClusterMode.STATIC, "2.2.0", NetworkProfile.POD_NETWORK, Map.of());

        assertThat(FlinkProcessConfiguration.of(pod(spec, PodRole.TASK_MANAGER, "orders-tm-0"), JOB_MANAGER, PLATFORM).keySet())
                .noneMatch(key -> key.startsWith("metrics."));
    }

    @Test
    void yamlQuotesEveryValue() {
        assertThat(FlinkProcessConfiguration.toYaml(Map.of("a.b", "it's: 1")))
                .isEqualTo("a.b: 'it''s: 1'\n");
    }

    private static final PlatformAccess WITH_ZOOKEEPER = new PlatformAccess("http://scheduler:8081", "slw1.token", null,
            HighAvailability.zooKeeper("zk-0:2181,zk-1:2181", "file:///var/slipway/ha/"));

    @Test
    void everyPodOfAClusterGetsZooKeeperHighAvailabilityUnderItsOwnClusterId() {
        ClusterSpec spec = spec(ClusterMode.ELASTIC, "2.2.0", NetworkProfile.POD_NETWORK, Map.of());
        for (PodRole role : PodRole.values()) {
            Map<String, String> conf = FlinkProcessConfiguration.of(pod(spec, role, "orders-x"), JOB_MANAGER, WITH_ZOOKEEPER);
            assertThat(conf).as(role.name())
                    .containsEntry("high-availability.type", "zookeeper")
                    .containsEntry("high-availability.cluster-id", "orders")
                    .containsEntry("high-availability.storageDir", "file:///var/slipway/ha")
                    .containsEntry("high-availability.zookeeper.quorum", "zk-0:2181,zk-1:2181")
                    .containsEntry("high-availability.zookeeper.path.root", "/slipway")
                    .containsEntry("high-availability.zookeeper.client.session-timeout", "8000");
        }
    }

    @Test
    void theHostNetworkNoticesADeadLeaderSoonerThanThePodNetwork() {
        ClusterSpec host = spec(ClusterMode.STATIC, "1.20.3", NetworkProfile.HOST_NETWORK, Map.of());
        assertThat(FlinkProcessConfiguration.of(pod(host, PodRole.JOB_MANAGER, "orders-jm-0"), JOB_MANAGER, WITH_ZOOKEEPER))
                .containsEntry("high-availability.zookeeper.client.session-timeout", "6000");
        assertThat(HighAvailability.sessionTimeout(NetworkProfile.HOST_NETWORK))
                .isLessThan(HighAvailability.sessionTimeout(NetworkProfile.POD_NETWORK));
    }

    @Test
    void aSpecThatTurnsHighAvailabilityOffOrAPlatformWithoutItRunsWithout() {
        ClusterSpec off = spec(ClusterMode.ELASTIC, "2.2.0", NetworkProfile.POD_NETWORK, Map.of()).withHighAvailability(false);
        assertThat(FlinkProcessConfiguration.of(pod(off, PodRole.JOB_MANAGER, "orders-jm-0"), JOB_MANAGER, WITH_ZOOKEEPER))
                .doesNotContainKeys("high-availability.type", "high-availability.cluster-id");
        ClusterSpec on = spec(ClusterMode.ELASTIC, "2.2.0", NetworkProfile.POD_NETWORK, Map.of());
        assertThat(on.highAvailability()).as("on by default").isTrue();
        assertThat(FlinkProcessConfiguration.of(pod(on, PodRole.JOB_MANAGER, "orders-jm-0"), JOB_MANAGER, PLATFORM))
                .doesNotContainKeys("high-availability.type", "high-availability.cluster-id");
    }

    @Test
    void highAvailabilityKeysAreThePlatformsAndAUsersAreDropped() {
        ClusterSpec spec = spec(ClusterMode.ELASTIC, "2.2.0", NetworkProfile.POD_NETWORK,
                Map.of("high-availability.type", "none", "high-availability.storageDir", "file:///tmp/mine", "high-availability", "NONE",
                        "kubernetes.cluster-id", "theirs", "state.backend.type", "rocksdb"));
        Map<String, String> conf = FlinkProcessConfiguration.of(pod(spec, PodRole.JOB_MANAGER, "orders-jm-0"), JOB_MANAGER, WITH_ZOOKEEPER);
        assertThat(conf).containsEntry("high-availability.type", "zookeeper")
                .containsEntry("high-availability.storageDir", "file:///var/slipway/ha")
                .containsEntry("state.backend.type", "rocksdb")
                .doesNotContainKeys("high-availability", "kubernetes.cluster-id");
        assertThat(FlinkProcessConfiguration.platformOwned("high-availability.zookeeper.client.session-timeout")).isTrue();
        assertThat(FlinkProcessConfiguration.platformOwned("slipway.anything")).isTrue();
        assertThat(FlinkProcessConfiguration.platformOwned("state.backend.type")).isFalse();
    }

    @Test
    void kubernetesHighAvailabilityNamesItsConfigMapsAfterTheCluster() {
        PlatformAccess kubernetes = new PlatformAccess("http://scheduler:8081", "slw1.token", null,
                HighAvailability.kubernetes("s3://state/ha", "flink-jobs"));
        ClusterSpec spec = spec(ClusterMode.ELASTIC, "2.2.0", NetworkProfile.POD_NETWORK, Map.of());
        assertThat(FlinkProcessConfiguration.of(pod(spec, PodRole.JOB_MANAGER, "orders-jm-0"), JOB_MANAGER, kubernetes))
                .containsEntry("high-availability.type", "kubernetes")
                .containsEntry("kubernetes.cluster-id", "orders")
                .containsEntry("kubernetes.namespace", "flink-jobs")
                .containsEntry("high-availability.storageDir", "s3://state/ha")
                .doesNotContainKey("high-availability.zookeeper.quorum");
    }
}
