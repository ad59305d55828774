package dev.slipway.loadtests;

/** Paces a load generator: the i-th send of a run waits for its slot, so the rate holds whatever the sends cost. */
final class FixedRate {

    private final long startNanos = System.nanoTime();
    private final long intervalNanos;

    FixedRate(int perSecond) {
        this.intervalNanos = 1_000_000_000L / perSecond;
    }

    void awaitSlot(long i) throws InterruptedException {
        long wait = startNanos + i * intervalNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
