package dev.slipway.scheduling.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.decisions.DeletePod;
import dev.slipway.contracts.resources.ResourceEvent;
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
        assertThat(RECORDED.report().decisionsByType()).containsKeys(
                "ProvisionPod", "DeletePod", "PodAssigned", "RequestRefused", "ClusterHealthChanged");
        assertThat(RECORDED.report().unanswered()).isZero();
        assertThat(RECORDED.report().taskManagersServed()).isPositive();
    }

    @Test
    void replayingTheRecordedTraceReproducesEveryDecision() {
        DeterminismCheck check = Replay.verify(RECORDED.trace(), RECORDED.decisions());
        assertThat(check.reproduced()).as(check.render()).isTrue();
        assertThat(check.decisionsCompared()).isEqualTo(RECORDED.decisions().size());
        assertThat(Replay.run(RECORDED.trace(), Policy.RECORDED).report()).isEqualTo(RECORDED.report());
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
    void theRecordedPolicySimulatedOnItsOwnTraceCostsTheSame() {
        WhatIf same = WhatIf.compare(RECORDED.trace(), TRACE.model(), Policy.RECORDED, Policy.RECORDED);
        assertThat(same.alternative()).isEqualTo(same.baseline());
        assertThat(same.baseline().podSeconds()).isEqualTo(RECORDED.report().podSeconds());
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
