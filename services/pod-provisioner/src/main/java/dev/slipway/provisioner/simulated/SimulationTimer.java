package dev.slipway.provisioner.simulated;

import java.time.Instant;

/**
 * Runs the simulation's future transitions when their time comes. Apart from the backend so that tests drive time by hand
 * (nothing sleeps), and the service runs it on a thread ({@link ExecutorSimulationTimer}).
 */
public interface SimulationTimer extends AutoCloseable {

    /** Runs {@code task} once the clock reaches {@code due}; soon when {@code due} is past already. */
    void at(Instant due, Runnable task);

    /** Runs nothing more. */
    @Override
    void close();
}
