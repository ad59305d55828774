package dev.slipway.loadtests;

import dev.slipway.e2e.FleetPlatform;
import java.nio.file.Path;

/**
 * The fleet at size: two resource-schedulers and two pod-provisioners on the SIMULATED backend, thousands of clusters whose
 * JobManagers are the fleet driver's (the platform's real resource manager driver), demand in bursts with a tenth of the
 * JobManagers restarting at once, {@code kill -9} of one scheduler and one provisioner while it runs, and a broker restart
 * ({@link FleetPlatform}). Prints the driver's figures and the audit: every request answered, no orphan, nothing left of
 * deleted clusters, replays reproducing the published decisions.
 *
 * <p>Run: {@code ./mvnw -B install -DskipTests && ./mvnw -B -pl loadtests exec:exec@fleet [-Dbench.fleet.clusters=2000]
 * [-Dbench.fleet.seconds=120]}
 */
public final class FleetBenchmark {

    private FleetBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        MachineNotes.print();
        Path work = Path.of(System.getProperty("slipway.e2e.work", "target/fleet")).toAbsolutePath();
        // On tmpfs: creating a file per pod is most of the simulated backend's cost on a disk.
        try (FleetPlatform fleet = new FleetPlatform(work, Path.of("/dev/shm/slipway-fleet-pods"))) {
            FleetPlatform.Outcome outcome = fleet.run(clusters, seconds);
            System.out.println(outcome.driverResult());
            System.out.println("FLEET AUDIT " + outcome.audit() + (outcome.audit().nothingLost() ? " NOTHING LOST" : " LOST SOMETHING"));
        }
    }
}
