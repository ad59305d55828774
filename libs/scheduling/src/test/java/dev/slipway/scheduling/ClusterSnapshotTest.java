package dev.slipway.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.json.EventJson;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.scheduling.replay.Simulator;
import dev.slipway.scheduling.replay.TraceGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSnapshotTest {

    /**
     * Cut a recorded trace anywhere, snapshot every cluster through JSON, restore into a fresh
     * scheduler and feed the rest: the decisions are those of the uninterrupted run.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 10, 25, 50, 75, 90})
    void aRestoredSnapshotDecidesExactlyAsTheOriginal(int cutPercent) throws IOException {
        Simulator.Result recorded = TraceGenerator.generate(TraceGenerator.Options.of(25, cutPercent)).simulate(Policy.RECORDED);
        List<ResourceEvent> trace = recorded.trace();
        int cut = trace.size() * cutPercent / 100;

        Scheduler original = new Scheduler();
        List<Decision> before = new ArrayList<>();
        trace.subList(0, cut).forEach(event -> before.addAll(original.handle(event)));

        Scheduler restored = new Scheduler();
        for (ClusterState state : original.clusters()) {
            String json = EventJson.mapper().writeValueAsString(ClusterSnapshot.of(state));
            restored.restore(EventJson.mapper().readValue(json, ClusterSnapshot.class));
        }
        List<Decision> after = new ArrayList<>();
        trace.subList(cut, trace.size()).forEach(event -> after.addAll(restored.handle(event)));

        List<Decision> resumed = new ArrayList<>(before);
        resumed.addAll(after);
        assertThat(resumed).hasSameSizeAs(recorded.decisions()).isEqualTo(recorded.decisions());
        assertThat(after).isNotEmpty();
    }
}
