package dev.slipway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jobs survive their JobManager with their state on an S3-compatible object store: a real S3 server (s3proxy) in the
 * test JVM, Flink's S3 file system plugin ({@code flink-s3-fs-presto}) in every pod, loaded from the distribution's
 * plugins directory, high-availability files and the job's checkpoints under {@code s3://slipway/}, credentials from
 * the platform's configuration (never in a cluster spec or an event).
 */
class StateOnObjectStorageTest {

    private static final String BUCKET = "slipway";
    private static S3Server s3;
    private static Platform platform;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3Server.start(Path.of(System.getProperty("slipway.e2e.work", "target/e2e")).resolve("object-storage-s3"), BUCKET);
        platform = new Platform("object-storage", Map.of(
                "slipway.provisioner.high-availability.storage-dir", "s3://" + BUCKET + "/ha",
                "slipway.provisioner.object-storage.endpoint", s3.endpoint(),
                "slipway.provisioner.object-storage.path-style-access", "true",
                "slipway.provisioner.object-storage.access-key", S3Server.ACCESS_KEY,
                "slipway.provisioner.object-storage.secret-key", S3Server.SECRET_KEY));
    }

    /** Each test's cluster goes when the test ends: the processes of earlier tests do not take the CPU of later ones. */
    @AfterEach
    void deleteClusters() throws Exception {
        platform.deleteClusters();
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void aJobManagerKilledRecoversTheJobFromCheckpointsAndHighAvailabilityFilesOnS3() throws Exception {
        recoversFromS3("s3-2-2", "2.2.0");
    }

    @Test
    void onFlink120AJobManagerKilledRecoversTheJobFromS3Too() throws Exception {
        recoversFromS3("s3-1-20", "1.20.3");
    }

    private static void recoversFromS3(String cluster, String flinkVersion) throws Exception {
        platform.createCluster(cluster, Scenarios.elastic(cluster, flinkVersion, 0, 60));
        Duration recovery = Scenarios.jobManagerKilledTheJobRecoversFromItsLatestCheckpoint(platform, cluster,
                Map.of("execution.checkpointing.dir", "s3://" + BUCKET + "/checkpoints/" + cluster), job -> {
                    assertThat(s3.keys(BUCKET, "checkpoints/" + cluster + "/" + job)).as("the job's checkpoints on the object store")
                            .anyMatch(key -> key.matches("checkpoints/" + cluster + "/" + job + "/chk-\\d+/_metadata"));
                    assertThat(s3.keys(BUCKET, "ha/" + cluster)).as("the cluster's high-availability files on the object store")
                            .anyMatch(key -> key.contains(job));
                });
        System.out.printf("Flink %s, state on S3: JobManager killed, job RUNNING again from its checkpoint after %d ms%n", flinkVersion,
                recovery.toMillis());
        assertThat(Scenarios.podLogs(platform, cluster)).as("the secret key stays out of the pods' logs")
                .doesNotContain(S3Server.SECRET_KEY);
    }
}
