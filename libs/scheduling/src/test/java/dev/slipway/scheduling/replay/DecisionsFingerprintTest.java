package dev.slipway.scheduling.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.contracts.decisions.Decision;
import dev.slipway.contracts.json.EventJson;
import dev.slipway.contracts.resources.ResourceEvent;
import dev.slipway.scheduling.Policy;
import dev.slipway.scheduling.Scheduler;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decider's output, byte for byte, on fixed generated traces: a digest of every event the simulation produced and
 * every decision a fresh scheduler makes of them (ids, reasons, placements), recorded on 2026-12-07 before the decider's
 * indexes replaced its walks over every request and pod. Replay compares a history with the decisions the code of today
 * makes of it, so a change that alters any decision breaks every recorded history's replay: this test fails first.
 * A change meant to decide differently updates the digests and says why in its commit.
 */
class DecisionsFingerprintTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(11L, 3, Policy.RECORDED,
                        "87 6de4b1431a22e6cfe2c30fa3f57db4fe0119624a2d465b88231d1c862be63a06"),
                Arguments.of(2026L, 6, Policy.RECORDED.withWarmPool(2).withMaxTaskManagers(8).withIdleTimeoutSeconds(30),
                        "224 b887b0a1e5cd3bb0dbfa0eb12334d8115d9b80937dbeb34b1bed0f8ff5f56e3c"),
                Arguments.of(77L, 8, Policy.RECORDED.withWarmPool(4).withMaxTaskManagers(3).withIdleTimeoutSeconds(120),
                        "186 e063723d177b628181bb81ed6985b68d2385d7d186a590b22583d9c237e52600"),
                Arguments.of(4242L, 12, Policy.RECORDED.withWarmPool(1).withMaxTaskManagers(12).withIdleTimeoutSeconds(5),
                        "366 6308df5206b8598ad8ee7dac403769dc24a7e08de38bcc4fb473eafecae6ec4c"));
    }

    @ParameterizedTest(name = "seed {0}, {1} clusters, {2}")
    @MethodSource("cases")
    void theDecisionsOfAFixedTraceAreThoseRecorded(long seed, int clusters, Policy policy, String recorded) throws Exception {
        Simulator.Result result = TraceGenerator.generate(
                new TraceGenerator.Options(clusters, Duration.ofMinutes(30), Duration.ofSeconds(15), seed)).simulate(policy);
        ObjectMapper json = EventJson.mapper();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        Scheduler scheduler = new Scheduler(policy);
        int decisions = 0;
        for (ResourceEvent event : result.trace()) {
            digest.update(json.writeValueAsBytes(event));
            for (Decision decision : scheduler.handle(event)) {
                digest.update(json.writeValueAsBytes(decision));
                decisions++;
            }
        }
        assertThat(decisions).as("decisions made").isGreaterThan(50);
        assertThat(decisions + " " + HexFormat.of().formatHex(digest.digest())).isEqualTo(recorded);
    }
}
