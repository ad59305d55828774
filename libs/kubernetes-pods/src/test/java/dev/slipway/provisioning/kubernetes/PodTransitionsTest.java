package dev.slipway.provisioning.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.resources.PodCreated;
import dev.slipway.contracts.resources.PodDeleted;
import dev.slipway.contracts.resources.PodFact;
import dev.slipway.contracts.resources.PodFailed;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.provisioning.PodFacts;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodTransitionsTest {

    private static final Instant T1 = Instant.parse("2026-01-01T00:00:01Z");
    private static final Instant T2 = Instant.parse("2026-01-01T00:00:02Z");
    private static final Instant T3 = Instant.parse("2026-01-01T00:00:03Z");

    private final FlinkPodFactory factory = new FlinkPodFactory(Decisions.settings());
    private final PodTransitions transitions = new PodTransitions();

    @Test
    void firstSightReportsCreatedOnceWithTheNodeWhenScheduled() {
        Pod pod = scheduled(taskManager(), "node-a");

        assertThat(transitions.observed(pod, T1)).containsExactly(
                PodFacts.created("orders", "orders-tm-1", PodRole.TASK_MANAGER, "r-1", "node-a", T1));
        assertThat(transitions.observed(pod, T2)).isEmpty();
    }

    @Test
    void anUnscheduledPodIsCreatedWithoutNodeAndReadyCarriesTheNode() {
        Pod pod = taskManager();
        assertThat(transitions.observed(pod, T1)).singleElement()
                .isInstanceOfSatisfying(PodCreated.class, created -> assertThat(created.nodeName()).isNull());

        Pod ready = withStatus(scheduled(pod, "node-b"), "Running", "10.0.0.7", ready("flink"));
        assertThat(transitions.observed(ready, T2)).containsExactly(
                PodFacts.ready("orders", "orders-tm-1", PodRole.TASK_MANAGER, "node-b", "10.0.0.7:6122", T2));
    }

    @Test
    void readyOnlyWhenEveryContainerIsReadyAndOnlyOnce() {
        Pod pod = scheduled(withSidecar(taskManager()), "node-a");
        transitions.observed(pod, T1);

        assertThat(transitions.observed(withStatus(pod, "Running", "10.0.0.7", ready("flink"), running("sidecar")), T2))
                .isEmpty();
        Pod allReady = withStatus(pod, "Running", "10.0.0.7", ready("flink"), ready("sidecar"));
        assertThat(transitions.observed(allReady, T3)).singleElement().isInstanceOf(PodReady.class);
        assertThat(transitions.observed(allReady, T3)).isEmpty();
    }

    @Test
    void aPodWhoseStatusListsFewerContainersThanItsSpecIsNotReady() {
        Pod pod = withStatus(scheduled(withSidecar(taskManager()), "node-a"), "Running", "10.0.0.7", ready("flink"));

        assertThat(PodTransitions.ready(pod)).isFalse();
    }

    @Test
    void jobManagerIsReachedOnItsRestPort() {
        Pod pod = withStatus(scheduled(factory.pod(Decisions.jobManager("orders")), "node-a"), "Running", "10.0.0.9",
                ready("flink"));

        assertThat(transitions.observed(pod, T1)).extracting(PodFact::getClass).containsExactly(PodCreated.class, PodReady.class);
        assertThat(PodTransitions.address(pod, PodRole.JOB_MANAGER)).isEqualTo("10.0.0.9:8081");
    }

    @Test
    void addressIsUnknownWithoutPodIp() {
        assertThat(PodTransitions.address(taskManager(), PodRole.TASK_MANAGER)).isNull();
    }

    @Test
    void oomKilledIsAFailureWithExitCode137() {
        Pod pod = scheduled(taskManager(), "node-a");
        transitions.observed(pod, T1);

        List<PodFact> facts = transitions.observed(withStatus(pod, "Failed", "10.0.0.7", terminated("flink", "OOMKilled", 137, null)), T2);

        assertThat(facts).singleElement().isInstanceOfSatisfying(PodFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo("OOMKilled");
            assertThat(failed.exitCode()).isEqualTo(137);
            assertThat(failed.message()).isEqualTo("container flink terminated: OOMKilled (exit code 137)");
            assertThat(failed.eventId()).isEqualTo(PodFacts.failed("orders", "orders-tm-1", "x", null, null, T1).eventId());
        });
    }

    @Test
    void anErrorExitKeepsTheContainersMessage() {
        Pod pod = withStatus(taskManager(), "Failed", null, terminated("flink", "Error", 1, "Could not resolve orders-jobmanager"));

        assertThat(transitions.observed(pod, T1)).last().isInstanceOfSatisfying(PodFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo("Error");
            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.message()).isEqualTo("Could not resolve orders-jobmanager");
        });
    }

    @Test
    void aTerminationWithoutReasonIsAnError() {
        assertThat(PodTransitions.failure(withStatus(taskManager(), "Failed", null, terminated("flink", null, 2, null))))
                .hasValue(new PodTransitions.Failure("Error", 2, "container flink terminated: Error (exit code 2)"));
    }

    @Test
    void imagesThatCannotBePulledFailThePod() {
        for (String reason : List.of("ImagePullBackOff", "ErrImagePull")) {
            Pod pod = withStatus(taskManager(), "Pending", null, waiting("flink", reason, "Back-off pulling image \"flink:9\""));

            assertThat(PodTransitions.failure(pod)).hasValue(new PodTransitions.Failure(reason, null, "Back-off pulling image \"flink:9\""));
        }
    }

    @Test
    void containerCreatingIsNotAFailure() {
        assertThat(PodTransitions.failure(withStatus(taskManager(), "Pending", null, waiting("flink", "ContainerCreating", null))))
                .isEmpty();
    }

    @Test
    void crashLoopBackOffCarriesTheLastExitCode() {
        ContainerStatus crashing = new ContainerStatusBuilder(waiting("flink", "CrashLoopBackOff", "back-off 40s restarting"))
                .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endLastState()
                .build();

        assertThat(PodTransitions.failure(withStatus(taskManager(), "Running", "10.0.0.7", crashing)))
                .hasValue(new PodTransitions.Failure("CrashLoopBackOff", 1, "back-off 40s restarting"));
    }

    @Test
    void evictionIsReportedWithTheKubeletsMessage() {
        Pod evicted = new PodBuilder(taskManager()).withNewStatus().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").endStatus().build();

        assertThat(PodTransitions.failure(evicted))
                .hasValue(new PodTransitions.Failure("Evicted", null, "The node was low on resource: memory."));
    }

    @Test
    void aFailedPhaseWithoutContainerDetailsIsStillAFailure() {
        Pod failed = new PodBuilder(taskManager()).withNewStatus().withPhase("Failed").withReason("NodeLost")
                .withMessage("node went away").endStatus().build();
        Pod bare = new PodBuilder(taskManager()).withNewStatus().withPhase("Failed").endStatus().build();

        assertThat(PodTransitions.failure(failed)).hasValue(new PodTransitions.Failure("NodeLost", null, "node went away"));
        assertThat(PodTransitions.failure(bare)).hasValue(new PodTransitions.Failure("Failed", null, null));
    }

    @Test
    void theFlinkProcessEndingCleanlyStillEndsThePodButASidecarDoesNot() {
        Pod sidecarDone = withStatus(withSidecar(taskManager()), "Running", "10.0.0.7", ready("flink"),
                terminated("sidecar", "Completed", 0, null));
        Pod flinkDone = withStatus(withSidecar(taskManager()), "Running", "10.0.0.7", terminated("flink", "Completed", 0, null),
                ready("sidecar"));

        assertThat(PodTransitions.failure(sidecarDone)).isEmpty();
        assertThat(PodTransitions.failure(flinkDone)).hasValueSatisfying(f -> {
            assertThat(f.reason()).isEqualTo("Completed");
            assertThat(f.exitCode()).isZero();
        });
    }

    @Test
    void aFailingInitContainerFailsThePod() {
        Pod pod = new PodBuilder(taskManager()).withNewStatus().withPhase("Pending")
                .withInitContainerStatuses(terminated("fetch-jars", "Error", 22, "curl: (22) 404")).endStatus().build();

        assertThat(PodTransitions.failure(pod)).hasValue(new PodTransitions.Failure("Error", 22, "curl: (22) 404"));
    }

    @Test
    void aPodBeingDeletedIsNotFailingThenItIsDeleted() {
        Pod pod = scheduled(taskManager(), "node-a");
        transitions.observed(pod, T1);
        Pod stopping = new PodBuilder(withStatus(pod, "Running", "10.0.0.7", terminated("flink", "Error", 143, null)))
                .editMetadata().withDeletionTimestamp("2026-01-01T00:00:02Z").endMetadata().build();

        assertThat(transitions.observed(stopping, T2)).isEmpty();
        assertThat(transitions.deleted(stopping, T3)).containsExactly(PodFacts.deleted("orders", "orders-tm-1", T3));
    }

    @Test
    void failedAfterReadyIsReportedButReadyAfterFailedIsNot() {
        Pod pod = scheduled(taskManager(), "node-a");
        transitions.observed(withStatus(pod, "Running", "10.0.0.7", ready("flink")), T1);

        assertThat(transitions.observed(withStatus(pod, "Failed", "10.0.0.7", terminated("flink", "OOMKilled", 137, null)), T2))
                .singleElement().isInstanceOf(PodFailed.class);
        assertThat(transitions.observed(withStatus(pod, "Running", "10.0.0.7", ready("flink")), T3)).isEmpty();
    }

    @Test
    void aPodFirstSeenDeadIsCreatedThenFailedNeverReady() {
        Pod dead = withStatus(scheduled(taskManager(), "node-a"), "Failed", "10.0.0.7", terminated("flink", "OOMKilled", 137, null));

        assertThat(transitions.observed(dead, T1)).extracting(PodFact::getClass).containsExactly(PodCreated.class, PodFailed.class);
    }

    @Test
    void aWholeLifeComesOutInOrderEachFactOnce() {
        Pod pod = taskManager();
        List<Pod> observations = List.of(pod, scheduled(pod, "node-a"),
                withStatus(scheduled(pod, "node-a"), "Pending", null, waiting("flink", "ContainerCreating", null)),
                withStatus(scheduled(pod, "node-a"), "Running", "10.0.0.7", running("flink")),
                withStatus(scheduled(pod, "node-a"), "Running", "10.0.0.7", ready("flink")),
                withStatus(scheduled(pod, "node-a"), "Running", "10.0.0.7", ready("flink")),
                withStatus(scheduled(pod, "node-a"), "Failed", "10.0.0.7", terminated("flink", "OOMKilled", 137, null)),
                withStatus(scheduled(pod, "node-a"), "Failed", "10.0.0.7", terminated("flink", "OOMKilled", 137, null)));

        List<PodFact> facts = new ArrayList<>();
        observations.forEach(observed -> facts.addAll(transitions.observed(observed, T1)));
        facts.addAll(transitions.deleted(pod, T2));

        assertThat(facts).extracting(PodFact::getClass)
                .containsExactly(PodCreated.class, PodReady.class, PodFailed.class, PodDeleted.class);
        assertThat(transitions.tracked()).isZero();
    }

    @Test
    void aFreshTranslatorReportsTheSameFactsAgain() {
        Pod ready = withStatus(scheduled(taskManager(), "node-a"), "Running", "10.0.0.7", ready("flink"));

        List<PodFact> first = transitions.observed(ready, T1);
        List<PodFact> afterRestart = new PodTransitions().observed(ready, T1);

        assertThat(afterRestart).isEqualTo(first);
    }

    @Test
    void aForgottenPodIsReportedAfresh() {
        Pod ready = withStatus(scheduled(taskManager(), "node-a"), "Running", "10.0.0.7", ready("flink"));
        List<PodFact> first = transitions.observed(ready, T1);

        transitions.forget("orders-tm-1");

        assertThat(transitions.observed(ready, T1)).isEqualTo(first);
    }

    @Test
    void podsWithoutThePlatformsIdentityAreIgnored() {
        Pod unlabelled = new PodBuilder().withNewMetadata().withName("someone-else").endMetadata().build();
        Pod unknownRole = new PodBuilder(taskManager()).editMetadata().addToLabels("slipway.dev/role", "historyserver")
                .endMetadata().build();

        assertThat(transitions.observed(unlabelled, T1)).isEmpty();
        assertThat(transitions.observed(unknownRole, T1)).isEmpty();
        assertThat(transitions.deleted(unlabelled, T1)).isEmpty();
        assertThat(transitions.tracked()).isZero();
    }

    private Pod taskManager() {
        return factory.pod(Decisions.taskManager("orders", 1));
    }

    private static Pod scheduled(Pod pod, String node) {
        return new PodBuilder(pod).editSpec().withNodeName(node).endSpec().build();
    }

    private static Pod withSidecar(Pod pod) {
        return new PodBuilder(pod).editSpec().addNewContainer().withName("sidecar").withImage("busybox").endContainer()
                .endSpec().build();
    }

    private static Pod withStatus(Pod pod, String phase, String podIp, ContainerStatus... containers) {
        return new PodBuilder(pod).withNewStatus().withPhase(phase).withPodIP(podIp).withContainerStatuses(containers)
                .endStatus().build();
    }

    private static ContainerStatus ready(String name) {
        return new ContainerStatusBuilder(running(name)).withReady(true).build();
    }

    private static ContainerStatus running(String name) {
        return new ContainerStatusBuilder().withName(name).withReady(false).withNewState().withNewRunning()
                .withStartedAt("2026-01-01T00:00:00Z").endRunning().endState().build();
    }

    private static ContainerStatus waiting(String name, String reason, String message) {
        return new ContainerStatusBuilder().withName(name).withReady(false).withNewState().withNewWaiting()
                .withReason(reason).withMessage(message).endWaiting().endState().build();
    }

    private static ContainerStatus terminated(String name, String reason, int exitCode, String message) {
        return new ContainerStatusBuilder().withName(name).withReady(false).withNewState().withNewTerminated()
                .withReason(reason).withExitCode(exitCode).withMessage(message).endTerminated().endState().build();
    }
}
