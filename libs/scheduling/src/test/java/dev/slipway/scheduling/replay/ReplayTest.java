package dev.slipway.scheduling.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.decisions.PodAssigned;
import dev.slipway.contracts.resources.ClockTicked;
import dev.slipway.contracts.resources.ClusterSpecCreated;
import dev.slipway.contracts.resources.PodReady;
import dev.slipway.contracts.resources.PodRole;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.contracts.resources.ResourcesRequested;
import dev.slipway.scheduling.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

    private static final TraceGenerator.Trace TRACE = TraceGenerator.generate(TraceGenerator.Options.of(40, 7));
    private static final Simulator.Result RECORDED = TRACE.simulate(Policy.RECORDED);

    @Test
    void theGeneratorIsRepeatableForASeedAndDiffersAcrossSeeds() {
        assertThat(TraceGenerator.generate(TraceGenerator.Options.of(40, 7)).external()).isEqualTo(TRACE.external());
        assertThat(TraceGenerator.generate(TraceGenerator.Options.of(40, 8)).external()).isNotEqualTo(TRACE.external());
    }

    @Test
    void aGeneratedTraceExercisesEveryKindOfDecision() {
        // Every kind the decider still makes: warm pods are Flink's own, so nothing is assigned any more.
        assertThat(RECORDED.report().decisionsByType()).containsOnlyKeys(
                "ProvisionPod", "DeletePod", "RequestRefused", "ClusterHealthChanged");
        assertThat(RECORDED.report().unanswered()).isZero();
        assertThat(RECORDED.report().taskManagersServed()).isGreaterThan(RECORDED.report().taskManagersFromWarm());
        assertThat(RECORDED.report().taskManagersFromWarm()).isPositive();
    }

    @Test
    void aDecisionPublishedAgainUnderItsIdIsOneDecisionButAnotherDecisionIsADifference() {
        List<Decision> republished = new ArrayList<>(RECORDED.decisions());
        // At least once: the batch of a scheduler that died before committing is published again by the next owner.
        republished.addAll(RECORDED.decisions().subList(0, 3));
        assertThat(Replay.verify(RECORDED.trace(), republished).reproduced()).isTrue();

        List<Decision> doubled = new ArrayList<>(RECORDED.decisions());
        DeletePod original = (DeletePod) doubled.get(indexOfFirst(doubled, DeletePod.class));
        doubled.add(new DeletePod("another-id", original.clusterId(), original.occurredAt(), original.causeEventId(),
                original.reason(), original.podName(), original.role()));
        assertThat(Replay.verify(RECORDED.trace(), doubled).reproduced()).as("the same decision under another id").isFalse();
    }

    @Test
    void replayingTheRecordedTraceReproducesEveryDecision() {
        DeterminismCheck check = Replay.verify(RECORDED.trace(), RECORDED.decisions());
        assertThat(check.reproduced()).as(check.render()).isTrue();
        assertThat(check.decisionsCompared()).isEqualTo(RECORDED.decisions().size());
        // A replay sees what the trace shows: everything but the warm TaskManagers the simulated Flink took.
        ReplayReport replayed = Replay.run(RECORDED.trace(), Policy.RECORDED).report();
        assertThat(replayed).usingRecursiveComparison()
                .ignoringFields("taskManagersServed", "taskManagersFromWarm", "requestToReadyMeanMillis",
                        "requestToReadyP50Millis", "requestToReadyP99Millis")
                .isEqualTo(RECORDED.report());
        assertThat(replayed.taskManagersFromWarm()).isZero();
        assertThat(replayed.taskManagersServed())
                .isEqualTo(RECORDED.report().taskManagersServed() - RECORDED.report().taskManagersFromWarm());
    }

    @Test
    void theSimulatedFlinkAsksAgainOnlyForATaskManagerItLost() {
        List<ResourcesRequested> repeats = RECORDED.trace().stream()
                .filter(event -> event instanceof ResourcesRequested requested
                        && requested.requestId().indexOf(Simulator.REPEAT) > 0)
                .map(ResourcesRequested.class::cast).toList();
        assertThat(repeats).isNotEmpty();
        for (ResourcesRequested repeat : repeats) {
            assertThat(RECORDED.decisions()).as("a TaskManager lost when %s asked %s", repeat.clusterId(), repeat.requestId())
                    .anyMatch(decision -> decision instanceof DeletePod delete
                            && delete.clusterId().equals(repeat.clusterId()) && delete.occurredAt().equals(repeat.occurredAt())
                            && !delete.reason().startsWith("Flink released"));
        }
    }

    @Test
    void aRecordingWithPodAssignedFromBeforeStillReplays() {
        // Decisions recorded when warm pods were still assigned to requests: the replay names the difference.
        ResourcesRequested request = RECORDED.trace().stream().filter(ResourcesRequested.class::isInstance)
                .map(ResourcesRequested.class::cast).findFirst().orElseThrow();
        PodAssigned assigned = new PodAssigned("d-old", request.clusterId(), request.occurredAt(), request.eventId(),
                "request " + request.requestId() + " needs 1 TaskManager; 1 warm; assigning " + request.clusterId() + "-tm-0",
                request.clusterId() + "-tm-0", request.requestId());
        List<Decision> recorded = new ArrayList<>(RECORDED.decisions());
        recorded.add(assigned);

        DeterminismCheck check = Replay.verify(RECORDED.trace(), recorded);

        assertThat(check.differences()).singleElement().satisfies(difference -> {
            assertThat(difference.causeEventId()).isEqualTo(request.eventId());
            assertThat(difference.recorded().toString())
                    .contains("PodAssigned " + request.clusterId() + "-tm-0 -> " + request.requestId());
        });
        // and a report over such a recording counts the assigned warm pod as serving its request
        ReportCollector report = new ReportCollector();
        report.observe(new ResourcesRequested("e1", "old", request.occurredAt(), "r-1", 1, null), List.of());
        report.observe(new PodReady("e2", "old", request.occurredAt(), "old-tm-0", PodRole.TASK_MANAGER, "node-a", "a:1"),
                List.of());
        report.observe(new ClockTicked("e3", "old", request.occurredAt()), List.of(new PodAssigned("d-1", "old",
                request.occurredAt(), "e3", "assigning old-tm-0", "old-tm-0", "r-1")));
        assertThat(report.report().taskManagersServed()).isEqualTo(1);
        assertThat(report.report().unanswered()).isZero();
    }

    @Test
    void aDecisionThatWasRecordedDifferentlyIsReportedAtItsEvent() {
        List<Decision> tampered = new ArrayList<>(RECORDED.decisions());
        int index = indexOfFirst(tampered, DeletePod.class);
        DeletePod original = (DeletePod) tampered.get(index);
        tampered.set(index, new DeletePod(original.eventId(), original.clusterId(), original.occurredAt(),
                original.causeEventId(), "a different reason", original.podName(), original.role()));

        DeterminismCheck check = Replay.verify(RECORDED.trace(), tampered);

        assertThat(check.reproduced()).isFalse();
        assertThat(check.differences()).singleElement().satisfies(difference -> {
            assertThat(difference.causeEventId()).isEqualTo(original.causeEventId());
            assertThat(difference.recorded().toString()).contains("a different reason");
        });
        assertThat(check.render()).contains("event " + original.causeEventId());
    }

    @Test
    void aMissingEventShowsUpAsDifferences() {
        List<ResourceEvent> shortened = new ArrayList<>(RECORDED.trace());
        shortened.removeIf(event -> event instanceof dev.slipway.contracts.resources.ResourcesRequested requested
                && requested.clusterId().equals("c-00003") && requested.requestId().equals("r-1"));
        assertThat(shortened).hasSize(RECORDED.trace().size() - 1);
        assertThat(Replay.verify(shortened, RECORDED.decisions()).reproduced()).isFalse();
    }

    @Test
    void withoutAWarmPoolPodsCostLessButTaskManagersComeLater() {
        WhatIf whatIf = WhatIf.compare(RECORDED.trace(), TRACE.model(), Policy.RECORDED, Policy.RECORDED.withWarmPool(0));
        assertThat(whatIf.alternative().podSeconds()).isLessThan(whatIf.baseline().podSeconds());
        assertThat(whatIf.alternative().requestToReadyMeanMillis()).isGreaterThan(whatIf.baseline().requestToReadyMeanMillis());
        assertThat(whatIf.alternative().requestToReadyP50Millis()).isGreaterThanOrEqualTo(whatIf.baseline().requestToReadyP50Millis());
        assertThat(whatIf.podSecondsSaved()).isPositive();
        assertThat(whatIf.render()).contains("pod-seconds").contains("warm pool 0").contains("as recorded");
    }

    @Test
    void aShorterIdleTimeoutWithAPoolReleasesSurplusSooner() {
        // Shrinking the pool leaves surplus warm pods that only the idle timeout removes.
        WhatIf slow = WhatIf.compare(RECORDED.trace(), TRACE.model(), Policy.RECORDED,
                Policy.RECORDED.withWarmPool(0).withIdleTimeoutSeconds(3600));
        WhatIf fast = WhatIf.compare(RECORDED.trace(), TRACE.model(), Policy.RECORDED,
                Policy.RECORDED.withWarmPool(0).withIdleTimeoutSeconds(60));
        assertThat(fast.alternative().podSeconds()).isLessThanOrEqualTo(slow.alternative().podSeconds());
    }

    @Test
    void theRecordedPolicySimulatedOnItsOwnDemandCostsTheSame() {
        WhatIf same = WhatIf.compare(TRACE.external(), TRACE.model(), Policy.RECORDED, Policy.RECORDED);
        assertThat(same.alternative()).isEqualTo(same.baseline());
        assertThat(same.baseline()).isEqualTo(RECORDED.report());
    }

    @Test
    void withoutAWarmPoolARecordedTraceShowsAllTheDemand() {
        // Flink asks for everything it needs when no warm TaskManager exists, so its requests are its
        // demand: externalizing the recording (its repeated requests fold back into their jobs) gives the
        // same run. With a pool it cannot: Flink takes warm TaskManagers without asking.
        Policy noPool = Policy.RECORDED.withWarmPool(0);
        List<ResourceEvent> demand = TRACE.external().stream()
                .map(event -> event instanceof ClusterSpecCreated created
                        ? new ClusterSpecCreated(created.eventId(), created.clusterId(), created.occurredAt(),
                                created.generation(), noPool.apply(created.spec()))
                        : event)
                .toList();
        Simulator.Result recorded = Simulator.run(demand, TRACE.model(), Policy.RECORDED);
        assertThat(recorded.trace()).anyMatch(event -> event instanceof ResourcesRequested requested
                && requested.requestId().indexOf(Simulator.REPEAT) > 0);

        WhatIf same = WhatIf.compare(recorded.trace(), TRACE.model(), Policy.RECORDED, Policy.RECORDED);

        assertThat(same.baseline()).isEqualTo(recorded.report());
        assertThat(Simulator.externalize(recorded.trace())).noneMatch(event -> event instanceof ResourcesRequested requested
                && requested.requestId().indexOf(Simulator.REPEAT) >= 0);
    }

    @Test
    void tracesRoundTripThroughJsonLines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("trace.jsonl");
        EventFiles.write(file, RECORDED.trace());
        List<ResourceEvent> read = EventFiles.read(file);
        assertThat(read).isEqualTo(RECORDED.trace());
        assertThat(Replay.verify(read, RECORDED.decisions()).reproduced()).isTrue();
    }

    @Test
    void aBadLineInATraceFileNamesItsLineNumber(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.jsonl");
        EventFiles.write(file, RECORDED.trace().subList(0, 3));
        Files.writeString(file, "{\"type\":\"ProvisionPod\"}\n", java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> EventFiles.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("line 4").hasMessageContaining("WRONG_FAMILY");
    }

    private static int indexOfFirst(List<Decision> decisions, Class<?> type) {
        for (int i = 0; i < decisions.size(); i++) {
            if (type.isInstance(decisions.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName());
    }
}
