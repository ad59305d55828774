package dev.slipway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A small fleet with everything but Flink's TaskManagers real: two schedulers and two provisioners (SIMULATED pods), fifty
 * JobManagers running the platform's own resource manager driver, a tenth of them restarting at once, one scheduler
 * (started again) and one provisioner (left dead) killed with kill -9 while it runs, and the broker stopped for 3 s and
 * started again. Nothing may be lost (FleetBenchmark runs the same at fleet size).
 */
class FleetTest {

    @Test
    void underRestartsKillsAndABrokerRestartEveryRequestIsAnsweredAndNoPodIsOrphanedOrLeftBehind() throws Exception {
        Path work = Path.of(System.getProperty("slipway.e2e.work", "target/e2e")).resolve("fleet");
        try (FleetPlatform fleet = new FleetPlatform(work, work.resolve("pods"))) {
            FleetPlatform.Outcome outcome = fleet.run(50, 24);

            assertThat(outcome.driverResult()).contains("outstanding=0").contains("failed=0");
            FleetAudit.Result audit = outcome.audit();
            assertThat(audit.requests()).as("requests the fleet made").isGreaterThan(200);
            assertThat(audit.nothingLost()).as("%s", audit).isTrue();
            assertThat(audit.replayed()).isEqualTo(50);
        }
    }
}
