package dev.slipway.provisioner.simulated;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A clock and timers that the test moves: nothing runs until {@link #advance} (or {@link #runDue}), and tasks run on the
 * test's thread, in the order of their instants (then of their scheduling). Time never moves on its own, so a test that
 * waits 30 simulated minutes takes no time, and its facts are the same at every run. Each backend gets a {@link #timer()}
 * of its own on the one clock: closing it (a killed provisioner) drops its tasks and no other backend's.
 */
final class ManualTime {

    /** Not the epoch: a backend that took an unset time for 0 would pass by luck. */
    static final Instant START = Instant.parse("2027-03-01T08:00:00Z");

    private Instant now = START;
    private long sequence;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparing(Task::due).thenComparingLong(Task::sequence));

    private record Task(Instant due, long sequence, Timer timer, Runnable run) {
    }

    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }

    Instant now() {
        return now;
    }

    /** A timer for one backend. */
    SimulationTimer timer() {
        return new Timer();
    }

    /** Runs every task due now, including those they schedule for now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves the clock forward, running each task at its instant. */
    void advance(Duration duration) {
        Instant until = now.plus(duration);
        while (!tasks.isEmpty() && !tasks.peek().due().isAfter(until)) {
            Task task = tasks.poll();
            now = task.due();
            if (!task.timer().closed) {
                task.run().run();
            }
        }
        now = until;
    }

    /** Tasks waiting, of open timers. */
    long waiting() {
        return tasks.stream().filter(task -> !task.timer().closed).count();
    }

    private final class Timer implements SimulationTimer {

        private boolean closed;

        @Override
        public void at(Instant due, Runnable task) {
            if (!closed) {
                tasks.add(new Task(due.isBefore(now) ? now : due, sequence++, this, task));
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
