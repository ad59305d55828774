package dev.slipway.flink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.util.concurrent.ScheduledExecutor;

/**
 * The resource manager's main thread, run by the test: nothing runs until {@link #runDue()} or {@link #advance}, and time
 * moves only when the test says so. Its clock ({@link #nanoTime()}) is the driver's too. A task that throws fails the
 * test at the call that ran it.
 */
final class ManualScheduledExecutor implements ScheduledExecutor {

    /** Not zero: a driver that read an unset time as 0 would pass by luck. */
    private long nowNanos = Duration.ofHours(5).toNanos();
    private long sequence;
    private final PriorityQueue<Task<?>> tasks = new PriorityQueue<>(
            Comparator.comparingLong((Task<?> task) -> task.dueNanos).thenComparingLong(task -> task.sequence));
    private final List<Duration> delays = new ArrayList<>();

    long nanoTime() {
        return nowNanos;
    }

    /** Runs every task due now, including those they queue for now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves the clock forward, running each task when its time comes. */
    void advance(Duration duration) {
        long until = nowNanos + duration.toNanos();
        while (!tasks.isEmpty() && tasks.peek().dueNanos - until <= 0) {
            Task<?> task = tasks.poll();
            nowNanos = Math.max(nowNanos, task.dueNanos);
            task.run();
        }
        nowNanos = until;
    }

    /** The delay of every {@code schedule} call so far, in order (not the tasks given to {@code execute}). */
    List<Duration> scheduledDelays() {
        return List.copyOf(delays);
    }

    /** The next scheduled task's delay from now, if any task waits. */
    Duration nextDelay() {
        return tasks.stream().filter(task -> !task.isCancelled()).map(task -> Duration.ofNanos(task.dueNanos - nowNanos))
                .min(Comparator.naturalOrder()).orElse(null);
    }

    @Override
    public void execute(Runnable command) {
        add(callable(command), 0);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        delays.add(Duration.ofNanos(unit.toNanos(delay)));
        return add(callable(command), unit.toNanos(delay));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        delays.add(Duration.ofNanos(unit.toNanos(delay)));
        return add(callable, unit.toNanos(delay));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("the driver schedules one-shot tasks only");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the driver schedules one-shot tasks only");
    }

    private <V> Task<V> add(Callable<V> callable, long delayNanos) {
        Task<V> task = new Task<>(callable, nowNanos + delayNanos, sequence++);
        tasks.add(task);
        return task;
    }

    private static Callable<Object> callable(Runnable command) {
        return () -> {
            command.run();
            return null;
        };
    }

    private final class Task<V> implements ScheduledFuture<V> {

        private final Callable<V> callable;
        private final long dueNanos;
        private final long sequence;
        private boolean cancelled;
        private boolean done;
        private V result;

        Task(Callable<V> callable, long dueNanos, long sequence) {
            this.callable = callable;
            this.dueNanos = dueNanos;
            this.sequence = sequence;
        }

        void run() {
            if (cancelled) {
                return;
            }
            try {
                result = callable.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                done = true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - nowNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelling = !done && !cancelled;
            cancelled = true;
            return cancelling;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public V get() {
            if (!done) {
                throw new IllegalStateException("a manual executor's task has not run yet: advance the clock first");
            }
            return result;
        }

        @Override
        public V get(long timeout, TimeUnit unit) {
            return get();
        }
    }
}
