package dev.slipway.loadtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What on this machine, outside the processes under test, shapes a benchmark's figures; printed before it runs. */
final class MachineNotes {

    private static final Path KDAMONDS = Path.of("/sys/kernel/mm/damon/admin/kdamonds");

    private MachineNotes() {
    }

    /**
     * A running kernel DAMON monitor samples page access (every 500 ms on the VMs we measured on) and stalls the
     * processes whose pages it samples for 20-50 ms each time: the latency tail then has a ~0.55 s period.
     */
    static void print() {
        List<String> running = new ArrayList<>();
        try (Stream<Path> kdamonds = Files.list(KDAMONDS)) {
            for (Path kdamond : kdamonds.filter(Files::isDirectory).toList()) {
                if (Files.readString(kdamond.resolve("state")).trim().equals("on")) {
                    running.add(kdamond.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            return; // no DAMON here, or not readable: nothing to say
        }
        if (!running.isEmpty()) {
            System.out.printf("note: kernel DAMON monitor(s) %s running (%s/<n>/state): expect periodic stalls of 20-50 ms in "
                    + "every process, about every 0.55 s (README, Figures)%n", running, KDAMONDS);
        }
    }
}
