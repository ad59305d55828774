package dev.slipway.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.cluster.ClusterMode;
import dev.slipway.contracts.cluster.ClusterSpec;
import dev.slipway.contracts.cluster.NetworkProfile;
import dev.slipway.rest.problems.Problem.FieldError;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.submission.cluster.ClusterIds;
import dev.slipway.submission.cluster.ClusterRequest;
import dev.slipway.submission.cluster.ClusterStatus;
import dev.slipway.submission.cluster.ClusterValidator;
import dev.slipway.submission.cluster.Lifecycle;
import dev.slipway.submission.cluster.MergePatch;
import dev.slipway.submission.cluster.StatusRules;
import dev.slipway.submission.tenant.Quotas;
import dev.slipway.submission.tenant.Tenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure rules: validation, status, quotas, ids and merge patches. */
class ClusterRulesTest {

    private final ClusterValidator validator = new ClusterValidator(List.of("2.2", "1.20"));

    private static ClusterRequest elastic(int warm, int max) {
        return new ClusterRequest("orders", ClusterMode.ELASTIC, null, null, null, null, 2, null,
                new ClusterRequest.Elastic(warm, max, null), null, null, Map.of("parallelism.default", "4"));
    }

    @Test
    void aMinimalElasticRequestGetsFlinksDefaults() {
        ClusterValidator.Outcome outcome = validator.forCreate(elastic(0, 5), "team-a");
        assertThat(outcome.errors()).isEmpty();
        ClusterSpec spec = outcome.spec();
        assertThat(spec.flinkVersion()).isEqualTo("2.2.0");
        assertThat(spec.jobManager()).isEqualTo(ClusterValidator.DEFAULT_JOB_MANAGER);
        assertThat(spec.taskManager()).isEqualTo(ClusterValidator.DEFAULT_TASK_MANAGER);
        assertThat(spec.network()).isEqualTo(NetworkProfile.POD_NETWORK);
        assertThat(spec.elastic().idleTimeoutSeconds()).isEqualTo(300);
        assertThat(spec.tenant()).isEqualTo("team-a");
        assertThat(ClusterValidator.maxTaskManagers(spec)).isEqualTo(5);
    }

    @Test
    void aRequestRebuiltFromItsSpecYieldsTheSameSpec() {
        ClusterSpec spec = validator.forCreate(elastic(1, 5), "team-a").spec();
        assertThat(validator.forChange(ClusterRequest.of(spec), spec).spec()).isEqualTo(spec);
    }

    @Test
    void flinkVersionsOutsideTheSupportedLinesAreRefused() {
        ClusterRequest r = elastic(0, 5);
        for (String version : List.of("1.19.1", "2.3.0", "2.2", "latest")) {
            ClusterRequest withVersion = new ClusterRequest(r.name(), r.mode(), version, null, null, null, null, null,
                    r.elastic(), null, null, null);
            assertThat(validator.forCreate(withVersion, "t").errors()).extracting(FieldError::field).containsExactly("flinkVersion");
        }
        ClusterRequest lts = new ClusterRequest(r.name(), r.mode(), "1.20.3", null, null, null, null, null, r.elastic(), null,
                null, null);
        assertThat(validator.forCreate(lts, "t").valid()).isTrue();
    }

    @Test
    void everyPlatformKeyIsRefusedByName() {
        ClusterRequest r = elastic(0, 5);
        ClusterRequest withKeys = new ClusterRequest(r.name(), r.mode(), null, null, null, null, null, null, r.elastic(), null,
                null, Map.of("taskmanager.resource-id", "x", "slotmanager.number-of-slots.max", "9", "state.backend.type", "rocksdb"));
        assertThat(validator.forCreate(withKeys, "t").errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("flinkConfiguration[taskmanager.resource-id]",
                        "flinkConfiguration[slotmanager.number-of-slots.max]");
    }

    @Test
    void highAvailabilityIsOnByDefaultTheSpecMayTurnItOffAndItsKeysAreThePlatforms() {
        assertThat(validator.forCreate(elastic(0, 5), "t").spec().highAvailability()).isTrue();
        ClusterRequest r = elastic(0, 5);
        ClusterRequest off = new ClusterRequest(r.name(), r.mode(), null, null, null, null, null, null, r.elastic(), null, null,
                null, false);
        ClusterSpec withoutHa = validator.forCreate(off, "t").spec();
        assertThat(withoutHa.highAvailability()).isFalse();

        ClusterRequest standbyWithoutHa = new ClusterRequest(r.name(), r.mode(), null, null, 2, null, null, null, r.elastic(), null,
                null, null, false);
        assertThat(validator.forCreate(standbyWithoutHa, "t").errors()).extracting(FieldError::field).containsExactly("jobManagerReplicas");
        ClusterRequest standby = new ClusterRequest(r.name(), r.mode(), null, null, 2, null, null, null, r.elastic(), null, null, null);
        assertThat(validator.forCreate(standby, "t").spec().jobManagerReplicas()).as("no HA key to set by hand").isEqualTo(2);

        ClusterRequest keys = new ClusterRequest(r.name(), r.mode(), null, null, null, null, null, null, r.elastic(), null, null,
                Map.of("high-availability.type", "zookeeper", "high-availability.zookeeper.quorum", "elsewhere:2181"));
        assertThat(validator.forCreate(keys, "t").errors()).extracting(FieldError::field).containsExactlyInAnyOrder(
                "flinkConfiguration[high-availability.type]", "flinkConfiguration[high-availability.zookeeper.quorum]");

        ClusterSpec on = validator.forCreate(elastic(0, 5), "t").spec();
        assertThat(validator.forChange(ClusterRequest.of(withoutHa), on).errors()).extracting(FieldError::field)
                .containsExactly("highAvailability");
    }

    @Test
    void statusFollowsLifecycleHealthAndTheJobManager() {
        assertThat(StatusRules.derive(new StatusRules.Facts(Lifecycle.ACTIVE, false, null, false, null, false, 0)).status())
                .isEqualTo(ClusterStatus.PROVISIONING);
        assertThat(StatusRules.derive(new StatusRules.Facts(Lifecycle.ACTIVE, false, null, true, null, true, 1)).status())
                .isEqualTo(ClusterStatus.RUNNING);
        assertThat(StatusRules.derive(new StatusRules.Facts(Lifecycle.ACTIVE, true, "crash loop", true, null, true, 3)))
                .isEqualTo(new StatusRules.Status(ClusterStatus.DEGRADED, "crash loop"));
        assertThat(StatusRules.derive(new StatusRules.Facts(Lifecycle.ACTIVE, false, null, true, "JobManager x failed", false, 0)))
                .isEqualTo(new StatusRules.Status(ClusterStatus.DEGRADED, "no JobManager is ready: JobManager x failed"));
        assertThat(StatusRules.derive(new StatusRules.Facts(Lifecycle.DELETING, true, "crash loop", true, null, true, 2)).status())
                .isEqualTo(ClusterStatus.DELETING);
        assertThat(StatusRules.deletionComplete(Lifecycle.DELETING, 0)).isTrue();
        assertThat(StatusRules.deletionComplete(Lifecycle.ACTIVE, 0)).isFalse();
    }

    @Test
    void theQuotaShareIsTheClustersReservationAndNeverMoreThanWhatIsLeft() {
        Tenant tenant = new Tenant("t", 3, 10);
        assertThat(Quotas.share(tenant, 4, 6, "f")).isEqualTo(6);
        assertThatThrownBy(() -> Quotas.share(tenant, 5, 6, "elastic.maxTaskManagers"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(409);
                    assertThat(e.problem().errors()).extracting(FieldError::field).containsExactly("elastic.maxTaskManagers");
                });
        assertThat(Quotas.share(new Tenant("free", 0, 0), 500, 600, "f")).as("no quota, no share").isZero();
        assertThatThrownBy(() -> Quotas.checkClusterCount(tenant, 3)).isInstanceOf(ProblemException.class);
        Quotas.checkClusterCount(tenant, 2);
    }

    @Test
    void clusterIdsAreDnsLabelsThatStartWithALetter() {
        assertThat(ClusterIds.of("Orders Pipeline", "0a1b2c3d")).isEqualTo("orders-pipeline-0a1b2c3d");
        assertThat(ClusterIds.of("2024_reports", "0a1b2c3d")).isEqualTo("c-2024-reports-0a1b2c3d");
        assertThat(ClusterIds.of("...", "0a1b2c3d")).isEqualTo("c-0a1b2c3d");
        assertThat(ClusterIds.of("a".repeat(63), "0a1b2c3d")).hasSize(39).matches("[a-z][a-z0-9-]*[a-z0-9]");
    }

    @Test
    void aMergePatchMergesObjectsAndRemovesNulls() throws Exception {
        ObjectMapper json = new ObjectMapper();
        var merged = MergePatch.apply(json.readTree("{\"a\":{\"b\":1,\"c\":2},\"d\":[1],\"e\":\"x\"}"),
                json.readTree("{\"a\":{\"b\":null,\"z\":3},\"d\":[2],\"e\":null}"));
        assertThat(merged.toString()).isEqualTo("{\"a\":{\"c\":2,\"z\":3},\"d\":[2]}");
    }
}
