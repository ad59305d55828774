package dev.slipway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.contracts.CloudEventHeaders;
import dev.slipway.contracts.EventSources;
import dev.slipway.contracts.Topics;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.json.DecodeResult;
import dev.slipway.contracts.telemetry.MetricSample;
import dev.slipway.contracts.telemetry.TelemetryEvent;
import dev.slipway.messaging.EventRecords;
import dev.slipway.messaging.KafkaClientProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metric reporter in real Flink processes: the pod-provisioner starts a STATIC cluster's JobManager
 * and TaskManager with the platform's reporter configured, a real job runs, and its metrics arrive on
 * {@code slipway.metrics.v1} as MetricSample events keyed by the cluster, with CloudEvents headers.
 */
class FlinkMetricsTest {

    private static final String CLUSTER = "metrics";
    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = Platform.shared();
    }

    /** Each test's cluster goes when the test ends: the processes of earlier tests do not take the CPU of later ones. */
    @AfterEach
    void deleteClusters() throws Exception {
        if (platform != null) {
            platform.deleteClusters();
        }
    }

    @Test
    void aRunningJobsThroughputAndTheTaskManagersHeapArriveAsMetricSamplesOfTheCluster() throws Exception {
        Map<TopicPartition, Long> from = metricsEnd();
        // A report a second (a cluster may choose its interval) keeps the test short.
        platform.createCluster(CLUSTER, new ClusterSpec(CLUSTER, "team-a", ClusterMode.STATIC, "2.2.0", Scenarios.SIZE, 1,
                Scenarios.SIZE, 2, 1, null, 0, null, null, Map.of("metrics.reporter.slipway.interval", "1 s")));
        FlinkRest flink = platform.awaitJobManager(CLUSTER);
        await("TaskManager registered").atMost(Duration.ofSeconds(60)).until(() -> flink.taskManagers().size() == 1);
        String taskManager = flink.taskManagers().get(0);
        String jar = flink.uploadJar(platform.exampleJobsJar().toFile());
        String job = flink.run(jar, Scenarios.STEADY_STREAM, 2, List.of("--rate", "500"));

        List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();
        List<MetricSample> samples = new CopyOnWriteArrayList<>();
        awaitSamples("metric samples of job " + job, from, records, samples,
                () -> samples.stream().anyMatch(s -> isOf(s, "numRecordsOutPerSecond", "job", job) && s.value() > 0)
                        && samples.stream().anyMatch(s -> isOf(s, "Status.JVM.Memory.Heap.Used", "taskmanager", taskManager))
                        && samples.stream().anyMatch(s -> isOf(s, "numRestarts", "job", job)));

        // Every record is a MetricSample in CloudEvents binary mode, keyed by its cluster.
        assertThat(samples).hasSameSizeAs(records).extracting(MetricSample::eventId).doesNotHaveDuplicates();
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            assertThat(record.key()).isEqualTo(samples.get(i).clusterId());
            assertThat(EventRecords.text(record.headers(), CloudEventHeaders.ID)).isEqualTo(samples.get(i).eventId());
            assertThat(EventRecords.text(record.headers(), CloudEventHeaders.TYPE)).isEqualTo("dev.slipway.telemetry.MetricSample");
            assertThat(EventRecords.text(record.headers(), CloudEventHeaders.SOURCE)).isEqualTo(EventSources.METRICS_REPORTER);
        }
        // Per subtask, named as Flink's UI names the task, on the TaskManager that is the pod.
        MetricSample throughput = samples.stream().filter(s -> isOf(s, "numRecordsOutPerSecond", "job", job)).findFirst().orElseThrow();
        assertThat(throughput.tags()).containsEntry("jobName", "steady-stream").containsEntry("taskmanager", taskManager)
                .containsEntry("pod", taskManager).containsKeys("task", "subtask");
        MetricSample heap = samples.stream().filter(s -> isOf(s, "Status.JVM.Memory.Heap.Used", "taskmanager", taskManager))
                .findFirst().orElseThrow();
        assertThat(heap.value()).isPositive();
        // Job-level metrics come from the JobManager, tagged with its pod.
        MetricSample restarts = samples.stream().filter(s -> isOf(s, "numRestarts", "job", job)).findFirst().orElseThrow();
        assertThat(restarts.tags()).containsEntry("pod", CLUSTER + "-jm-0").containsEntry("component", "jobmanager");
        assertThat(restarts.value()).isZero();

        flink.cancel(job);
    }

    @Test
    void aFlink120JobManagerShipsWithTheSameReporterJar() throws Exception {
        String cluster = "metrics-lts";
        Map<TopicPartition, Long> from = metricsEnd();
        platform.createCluster(cluster, new ClusterSpec(cluster, "team-a", ClusterMode.STATIC, "1.20.3", Scenarios.SIZE, 1,
                Scenarios.SIZE, 2, 0, null, 0, null, null, Map.of("metrics.reporter.slipway.interval", "1 s")));
        platform.awaitJobManager(cluster);

        List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();
        List<MetricSample> samples = new CopyOnWriteArrayList<>();
        awaitSamples("heap of the Flink 1.20 JobManager", from, records, samples, () -> samples.stream()
                .anyMatch(s -> s.clusterId().equals(cluster) && isOf(s, "Status.JVM.Memory.Heap.Used", "pod", cluster + "-jm-0")));

        assertThat(records).filteredOn(record -> cluster.equals(record.key())).isNotEmpty();
    }

    /**
     * Where slipway.metrics.v1 ends now, taken before a test's cluster exists: reading from there (not from the topic's
     * beginning, which holds every earlier test's samples) keeps the wait independent of what ran before.
     */
    private static Map<TopicPartition, Long> metricsEnd() {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            return consumer.endOffsets(partitions(consumer));
        }
    }

    /** Reads slipway.metrics.v1 from {@code from} until {@code done} holds, collecting records and decoded samples. */
    private static void awaitSamples(String what, Map<TopicPartition, Long> from, List<ConsumerRecord<String, byte[]>> records,
            List<MetricSample> samples, Callable<Boolean> done) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            // The consumer's poll is the wait: no pause between polls, so a busy topic is read as fast as it arrives.
            await(what).atMost(Duration.ofSeconds(90)).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1)).until(() -> {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                            records.add(record);
                            if (EventRecords.decode(record, TelemetryEvent.class) instanceof DecodeResult.Decoded<TelemetryEvent> decoded
                                    && decoded.event() instanceof MetricSample sample) {
                                samples.add(sample);
                            }
                        }
                        return done.call();
                    });
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
        return consumer.partitionsFor(Topics.METRICS).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static boolean isOf(MetricSample sample, String name, String tag, String value) {
        return sample.name().equals(name) && value.equals(sample.tags().get(tag));
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        var props = KafkaClientProperties.committedReader(platform.broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "metrics-test-" + UUID.randomUUID());
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
